import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { acquireOwnership, openFileStore } from '../../runtime/store/file/index.js';
import { testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { runPolyfleet, startPolyfleet } from '../testing/cli-process.js';
import { deleteCommand } from './delete-command.js';

const strategyFile = fileURLToPath(new URL('../../examples/quickstart/strategy.yaml', import.meta.url));

let dir: string;
let state: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-delete-'));
  state = join(dir, 'state.jsonl');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function del(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await deleteCommand.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const openStore = () => openFileStore({ path: state, logger: pino({ level: 'silent' }) });

async function createPool(finalizers: string[]): Promise<void> {
  const store = await openStore();
  await store.create(testStrategy('default', 'cheap'));
  const pool = testNodePool('default', 'workers', 'cheap');
  await store.create({ ...pool, metadata: { ...pool.metadata, finalizers } });
  await store.close();
}

describe('polyfleet delete', () => {
  it('deletes an object without finalizers at once, and --wait returns', async () => {
    await createPool([]);
    expect(await del('strategy', 'cheap', '--state', state)).toEqual({ code: 0, stdout: 'strategy.polyfleet.io "cheap" deleted\n', stderr: '' });
    expect(await del('np', 'workers', '--wait', '--state', state)).toMatchObject({ code: 0, stdout: 'nodepool.polyfleet.io "workers" deleted\n' });
    const store = await openStore();
    expect(await store.list('NodePool')).toEqual([]);
    await store.close();
  });

  it('without a polyfleet run, runs the controllers itself until the pool and its instances are gone', () => {
    const sim = join(dir, 'sim');
    expect(runPolyfleet(dir, ['create', '-s', strategyFile, '-n', '2', '--state', state, '--sim-dir', sim])).toMatchObject({ status: 0 });
    const instances = () => JSON.parse(runPolyfleet(dir, ['sim', 'instances', '--dir', sim]).stdout) as { state: string }[];
    expect(instances().filter((i) => i.state === 'running')).toHaveLength(2);
    const deleted = runPolyfleet(dir, ['delete', 'nodepool', 'sim-cheapest', '--wait', '--timeout', '2m', '--state', state, '--sim-dir', sim]);
    expect(deleted).toMatchObject({ status: 0, stdout: 'nodepool.polyfleet.io "sim-cheapest" deleted\n' });
    expect(deleted.stderr).toContain('waiting for finalizers polyfleet.io/nodepool of nodepool "sim-cheapest"...');
    expect(instances()).toEqual([]);
    expect(runPolyfleet(dir, ['get', 'machines', '--state', state])).toMatchObject({ status: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  }, 180_000);

  it('fails after --timeout naming the finalizers that hold the object, which stays marked for deletion', async () => {
    await createPool(['example.com/kept']);
    const result = await del('nodepool', 'workers', '--wait', '--timeout', '1s', '--state', state, '--sim-dir', join(dir, 'sim'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'polyfleet delete: nodepool "workers" is still there after --timeout 1s, held by finalizers example.com/kept; it stays marked for deletion, and the next `polyfleet run` or `polyfleet delete --wait` on this state file finishes it',
    );
  });

  it('waits, in its own process, while another process owns the state and removes the last finalizer', async () => {
    await createPool(['polyfleet.io/nodepool']);
    const owner = acquireOwnership(state);
    try {
      const waiting = startPolyfleet(dir, ['delete', 'nodepool', 'workers', '--wait', '--timeout', '5m', '--state', state]);
      const store = await openStore();
      const deadline = Date.now() + 60_000;
      let marked = false;
      while (!marked && Date.now() < deadline) {
        await store.refresh();
        marked = (await store.get('NodePool', { namespace: 'default', name: 'workers' }))?.metadata.deletionTimestamp !== undefined;
        if (!marked) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(marked).toBe(true);
      await store.patch('NodePool', { namespace: 'default', name: 'workers' }, { type: 'merge', patch: { metadata: { finalizers: null } } });
      await store.close();
      expect(await waiting.exited).toBe(0);
      expect(waiting.stdout()).toBe('nodepool.polyfleet.io "workers" deleted\n');
    } finally {
      owner.release();
    }
  }, 90_000);

  it.each([
    { argv: ['nodepool'], message: 'which object? e.g. polyfleet delete nodepool workers' },
    { argv: ['pods', 'x'], message: 'unknown kind "pods"' },
    { argv: ['np', 'x', '--timeout', 'soon'], message: '--timeout must be a duration such as 90s, 5m or 1h30m, got "soon"' },
  ])('exits 2 on usage: $message', async ({ argv, message }) => {
    const result = await del(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`polyfleet delete: ${message}`);
  });

  it('exits 1 when the object does not exist', async () => {
    expect(await del('machine', 'nope', '--state', state)).toMatchObject({ code: 1, stderr: 'polyfleet delete: machines "nope" not found in namespace "default"\n' });
  });
});
