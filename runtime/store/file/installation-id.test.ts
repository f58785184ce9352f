import { afterAll, describe, expect, it } from '@jest/globals';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { encodeRecord } from './record-codec.js';
import { CorruptStateError } from './state-file-errors.js';
import { machine, nodePool, removeTempDirs, silentLogger, spawnChild, tempStatePath, until } from './fixture.js';
import { openFileStore } from './file-store.js';
import { LEGACY_INSTALLATION_ID, newInstallationId } from './installation-id.js';

afterAll(removeTempDirs);

const ID = /^pf-[0-9a-f]{12}$/;
const header = (path: string) => (JSON.parse(readFileSync(path, 'utf8').split('\n')[0] ?? '') as { r: Record<string, unknown> }).r;

describe('file store: the installation id', () => {
  it('is made with a new state file, kept in its header, and the same after a reopen', async () => {
    const path = tempStatePath();
    const store = await openFileStore({ path, logger: silentLogger });
    expect(store.installationId).toMatch(ID);
    expect(header(path).installationId).toBe(store.installationId);
    await store.create(nodePool('a'));
    await store.close();
    const reopened = await openFileStore({ path, logger: silentLogger });
    expect(reopened.installationId).toBe(store.installationId);
    await reopened.close();
    const other = await openFileStore({ path: tempStatePath(), logger: silentLogger });
    expect(other.installationId).not.toBe(store.installationId);
    await other.close();
  });

  it('survives compaction, in the process that compacted and in one that followed it', async () => {
    const path = tempStatePath();
    const writer = await openFileStore({ path, logger: silentLogger, compactAfterBytes: 2_048 });
    const follower = await openFileStore({ path, logger: silentLogger, pollIntervalMs: 10 });
    const id = writer.installationId;
    // Held open, the first file cannot have its inode reused by a later one: once a snapshot has
    // replaced it, it has no name left.
    const first = openSync(path, 'r');
    for (let i = 0; i < 40; i++) await writer.create(machine(`m-${i}`));
    expect(fstatSync(first).nlink).toBe(0); // the file was replaced by a snapshot
    closeSync(first);
    expect(header(path).installationId).toBe(id);
    await until(async () => (await follower.list('Machine')).length === 40, 'the follower to re-read the compacted file');
    expect([writer.installationId, follower.installationId]).toEqual([id, id]);
    await writer.close();
    await follower.close();
    const reopened = await openFileStore({ path, logger: silentLogger });
    expect(reopened.installationId).toBe(id);
    await reopened.close();
  });

  it('is the same in every process, also when several create the file at once', async () => {
    const path = tempStatePath();
    const children = [0, 1, 2].map(() => spawnChild('installation-id-child.ts', [path]));
    await Promise.all(children.map((c) => c.exited));
    const ids = children.map((c) => c.lines.find((l) => l.startsWith('id '))?.slice(3) ?? c.stderr());
    expect(ids[0]).toMatch(ID);
    expect(new Set(ids).size).toBe(1);
    const store = await openFileStore({ path, logger: silentLogger });
    expect(store.installationId).toBe(ids[0]);
    await store.close();
    const reader = spawnChild('installation-id-child.ts', [path, 'read-only']);
    await reader.exited;
    expect(reader.lines).toEqual([`id ${ids[0] ?? ''}`]);
  }, 60_000);

  it('is "polyfleet" for a state file made before ids existed, and stays so through writes and compaction', async () => {
    const path = tempStatePath();
    const made = await openFileStore({ path, logger: silentLogger, newInstallationId: () => 'pf-000000000000' });
    await made.create(nodePool('a'));
    await made.close();
    // The same file as an earlier version wrote it: no id in its header.
    const [first = '', ...rest] = readFileSync(path, 'utf8').split('\n');
    const { installationId: _dropped, ...legacyHeader } = (JSON.parse(first) as { r: Record<string, unknown> }).r;
    writeFileSync(path, [encodeRecord(legacyHeader as never).trimEnd(), ...rest].join('\n'));
    const store = await openFileStore({ path, logger: silentLogger, compactAfterBytes: 2_048 });
    expect(store.installationId).toBe(LEGACY_INSTALLATION_ID);
    const legacyFile = openSync(path, 'r');
    for (let i = 0; i < 40; i++) await store.create(machine(`m-${i}`));
    expect(fstatSync(legacyFile).nlink).toBe(0);
    closeSync(legacyFile);
    expect(header(path)).not.toHaveProperty('installationId');
    expect(store.installationId).toBe(LEGACY_INSTALLATION_ID);
    await store.close();
    const reopened = await openFileStore({ path, logger: silentLogger });
    expect(reopened.installationId).toBe('polyfleet');
    expect((await reopened.list('NodePool')).map((p) => p.metadata.name)).toEqual(['a']);
    await reopened.close();
  });

  it('is not there for a read-only store before the file exists, and is once another process made it', async () => {
    const path = tempStatePath();
    const reader = await openFileStore({ path, readOnly: true, logger: silentLogger, pollIntervalMs: 10 });
    expect(() => reader.installationId).toThrow(/does not exist yet/);
    const writer = await openFileStore({ path, logger: silentLogger, newInstallationId: () => 'pf-0123456789ab' });
    await reader.refresh();
    expect(reader.installationId).toBe('pf-0123456789ab');
    await writer.close();
    await reader.close();
  });

  it('is never half-made: a creation cut short leaves no state file, only a temporary one the next creation overwrites', async () => {
    const path = tempStatePath();
    writeFileSync(`${path}.compacting`, '{"c":"00000000","r":{"t":"header","format":"polyfleet-st');
    expect(existsSync(path)).toBe(false);
    const store = await openFileStore({ path, logger: silentLogger, newInstallationId: () => 'pf-abcdefabcdef' });
    expect(store.installationId).toBe('pf-abcdefabcdef');
    expect(existsSync(`${path}.compacting`)).toBe(false);
    await store.close();
  });

  it('refuses a header whose id is no valid tag value, as corruption', async () => {
    const path = tempStatePath();
    writeFileSync(path, encodeRecord({ t: 'header', format: 'polyfleet-state', version: 1, rv: 0, installationId: 'Not A Tag!' }));
    await expect(openFileStore({ path, logger: silentLogger })).rejects.toThrow(CorruptStateError);
  });

  it('makes ids of "pf-" and 12 lowercase hex digits', () => {
    expect(newInstallationId()).toMatch(ID);
    expect(newInstallationId(() => Buffer.from([0, 1, 2, 0xab, 0xcd, 0xef]))).toBe('pf-000102abcdef');
  });
});
