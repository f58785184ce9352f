import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { CorruptStateError, UnreadableStateError } from './state-file-errors.js';
import { machine, nodePool, removeTempDirs, silentLogger, tempStatePath, until } from './fixture.js';
import { openFileStore } from './file-store.js';

afterAll(removeTempDirs);

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const key = (name: string) => ({ namespace: 'default', name });

async function stateWithTwoPools(): Promise<string> {
  const path = tempStatePath();
  const store = await openFileStore({ path, logger: silentLogger });
  await store.create(nodePool('a'));
  await store.create(nodePool('b'));
  await store.close();
  return path;
}

describe('file store: the state file on disk', () => {
  it('reports its watches unhealthy once the state file cannot be used any more', async () => {
    const path = await stateWithTwoPools();
    const store = await openFileStore({ path, logger: silentLogger, pollIntervalMs: 0 });
    const watch = store.watch('NodePool', () => undefined);
    await watch.synced;
    expect(watch.health?.()).toEqual({ ok: true });
    rmSync(path);
    await expect(store.create(nodePool('c'))).rejects.toThrow(/removed/);
    expect(watch.health?.()).toEqual({ ok: false, detail: expect.stringContaining('the state file cannot be used any more') });
    watch.stop();
    await store.close();
  });

  it('discards a torn last record on open, and the next write cuts it off', async () => {
    const path = await stateWithTwoPools();
    appendFileSync(path, '{"c":"0badf00d","r":{"t":"txn","rv":3,"ops":[{"op":"put","obj');
    const store = await openFileStore({ path, logger: silentLogger });
    expect((await store.list('NodePool')).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    const c = await store.create(nodePool('c'));
    expect(c.metadata.resourceVersion).toBe('3');
    await store.close();
    const reopened = await openFileStore({ path, logger: silentLogger });
    expect((await reopened.list('NodePool')).map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    await reopened.close();
  });

  it('writes concurrent writes as one line, which a crash tears as a whole', async () => {
    const path = tempStatePath();
    const store = await openFileStore({ path, logger: silentLogger });
    await store.create(nodePool('first'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(machine(`m${i}`))));
    await store.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1) ?? '') as { r: { t: string; txns: { rv: number }[] } };
    expect(last.r.t).toBe('batch');
    expect(last.r.txns.map((t) => t.rv)).toEqual(Array.from({ length: last.r.txns.length }, (_, i) => 22 - last.r.txns.length + i));
    writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n${(lines.at(-1) ?? '').slice(0, -40)}`);
    const reopened = await openFileStore({ path, readOnly: true, logger: silentLogger });
    expect(reopened.revision).toBe(21 - last.r.txns.length);
    expect((await reopened.list('Machine')).length).toBe(20 - last.r.txns.length);
    await reopened.close();
  });

  it.each([
    ['a damaged record in the middle', (text: string) => text.replace('"name":"a"', '"name":"x"'), /line 2 \(byte \d+\): checksum mismatch/],
    ['a record taken out (a revision skipped)', (text: string) => text.split('\n').filter((_, i) => i !== 1).join('\n'), /revision 2 follows revision 0/],
    ['no header', (text: string) => text.split('\n').slice(1).join('\n'), /line 1 \(byte 0\): the file does not start with a polyfleet state header/],
    ['an empty file', () => '', /line 1 \(byte 0\): the file is empty/],
  ])('refuses %s, naming file and line, and leaves the file untouched', async (_name, damage, problem) => {
    const path = await stateWithTwoPools();
    writeFileSync(path, damage(readFileSync(path, 'utf8')));
    const before = sha256(path);
    const error = await openFileStore({ path, logger: silentLogger }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptStateError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(problem);
    expect(sha256(path)).toBe(before);
  });

  it('refuses a directory where the state file should be, for reading and for writing', async () => {
    const path = tempStatePath();
    mkdirSync(path);
    for (const readOnly of [true, false]) {
      const error = await openFileStore({ path, readOnly, logger: silentLogger }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableStateError);
      expect((error as Error).message).toMatch(new RegExp(`${path}: (EISDIR|not a regular file)`));
    }
  });

  it('opens a missing file read-only as an empty state without creating it', async () => {
    const path = tempStatePath();
    const store = await openFileStore({ path, readOnly: true, logger: silentLogger });
    expect(await store.list('Machine')).toEqual([]);
    await expect(store.create(nodePool())).rejects.toThrow(/read-only/);
    await store.close();
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  it('compacts the log into a snapshot that keeps every object, the revision and the events', async () => {
    const path = tempStatePath();
    const store = await openFileStore({ path, logger: silentLogger, compactAfterBytes: 4096 });
    const other = await openFileStore({ path, logger: silentLogger, pollIntervalMs: 20 });
    const seen = new Map<string, string>();
    const watch = other.watch('Machine', (e) => seen.set(e.object.metadata.name, e.type === 'DELETED' ? 'gone' : (e.object.status?.phase ?? 'none')));
    await store.eventSink().write({ kind: 'Machine', namespace: 'default', name: 'm0' }, { type: 'Normal', reason: 'Created', action: 'Create', message: 'made' }, new Date());
    for (let i = 0; i < 20; i++) await store.create(machine(`m${i}`));
    for (let i = 0; i < 20; i += 2) {
      const m = await store.get('Machine', key(`m${i}`));
      if (m) await store.updateStatus({ ...m, status: { phase: 'Running' } });
    }
    await store.delete('Machine', key('m1'));
    const revision = store.revision;
    const header = JSON.parse(readFileSync(path, 'utf8').split('\n')[0] ?? '') as { r: { t: string; rv: number } };
    expect(header.r).toMatchObject({ t: 'header', rv: expect.any(Number) });
    expect(header.r.rv).toBeGreaterThan(0);
    await until(() => seen.size === 20 && seen.get('m1') === 'gone' && seen.get('m18') === 'Running', 'the other store to catch up');
    watch.stop();
    await Promise.all([store.close(), other.close()]);
    const reopened = await openFileStore({ path, logger: silentLogger });
    expect(reopened.revision).toBe(revision);
    expect((await reopened.list('Machine')).length).toBe(19);
    expect((await reopened.get('Machine', key('m4')))?.status?.phase).toBe('Running');
    expect(await reopened.eventSink().list({ kind: 'Machine', namespace: 'default', name: 'm0' })).toHaveLength(1);
    await reopened.close();
  });
});
