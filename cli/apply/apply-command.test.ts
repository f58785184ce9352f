import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { openFileStore } from '../../runtime/store/file/index.js';
import { runPolyfleet } from '../testing/cli-process.js';
import { applyCommand } from './apply-command.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
let dir: string;
let state: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-apply-'));
  state = join(dir, 'state.jsonl');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function apply(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await applyCommand.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const openStore = () => openFileStore({ path: state, logger: pino({ level: 'silent' }) });

describe('polyfleet apply', () => {
  it('creates, then leaves unchanged, then updates the spec keeping status and finalizers', async () => {
    expect(await apply('-f', quickstart, '--state', state)).toEqual({
      code: 0,
      stderr: '',
      stdout: 'nodepool.polyfleet.io/workers created\nplacementrule.polyfleet.io/across-providers created\nstrategy.polyfleet.io/sim-cheapest created\n',
    });
    expect((await apply('-f', quickstart, '--state', state)).stdout).toContain('nodepool.polyfleet.io/workers unchanged');

    const store = await openStore();
    const pool = await store.get('NodePool', { namespace: 'default', name: 'workers' });
    if (pool === undefined) throw new Error('no pool');
    const withFinalizer = await store.update({ ...pool, metadata: { ...pool.metadata, finalizers: ['polyfleet.io/nodepool'] } });
    await store.updateStatus({ ...withFinalizer, status: { readyReplicas: 7, desiredReplicas: 7 } });
    await store.close();

    const scaled = join(dir, 'pool.yaml');
    writeFileSync(scaled, 'apiVersion: polyfleet.io/v1alpha1\nkind: NodePool\nmetadata: {name: workers}\nspec: {replicas: 9, strategyRef: {name: sim-cheapest}}\n');
    expect(await apply('-f', scaled, '--state', state)).toMatchObject({ code: 0, stdout: 'nodepool.polyfleet.io/workers configured\n' });
    const after = await openStore();
    const updated = await after.get('NodePool', { namespace: 'default', name: 'workers' });
    await after.close();
    expect(updated).toMatchObject({ spec: { replicas: 9, redundancy: '1:1' }, status: { readyReplicas: 7 }, metadata: { finalizers: ['polyfleet.io/nodepool'], generation: 2 } });
  });

  it('writes nothing when one document is bad, and names file, document and field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: polyfleet.io/v1alpha1\nkind: NodePool\nmetadata: {name: p}\nspec: {replicas: -1, strategyRef: {name: s}}\n');
    const result = await apply('-f', quickstart, '-f', bad, '--state', state);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `polyfleet apply: ${bad}, document 1 (NodePool "p"): spec.replicas: Too small: expected number to be >=0\n` });
    const store = await openStore();
    expect(await store.list('NodePool')).toEqual([]);
    await store.close();
  });

  it('applies an object saved from another state (uid, resourceVersion, status and all) as a new one', async () => {
    await apply('-f', quickstart, '--state', state);
    const store = await openStore();
    const saved = await store.get('Strategy', { namespace: 'default', name: 'sim-cheapest' });
    await store.close();
    const file = join(dir, 'saved.yaml');
    writeFileSync(file, stringify({ ...saved, status: { offeringCount: 3 } }));
    const other = join(dir, 'other.jsonl');
    expect(await apply('-f', file, '--state', other)).toMatchObject({ code: 0, stdout: 'strategy.polyfleet.io/sim-cheapest created\n' });
    const copy = await openFileStore({ path: other, logger: pino({ level: 'silent' }) });
    const created = await copy.get('Strategy', { namespace: 'default', name: 'sim-cheapest' });
    await copy.close();
    expect(created?.metadata.uid).not.toBe(saved?.metadata.uid);
    expect(created?.status).toBeUndefined();
  });

  it.each([
    { argv: [], message: 'which manifests? pass -f FILE or -f DIR' },
    { argv: ['pool.yaml'], message: 'unexpected argument "pool.yaml"; manifests go after -f' },
    { argv: ['-f'], message: "Option '-f, --filename <value>' argument missing" },
  ])('exits 2 on usage: $message', async ({ argv, message }) => {
    const result = await apply(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`polyfleet apply: ${message}`);
    expect(result.stderr).toContain('Usage: polyfleet apply');
  });

  it('runs as a user runs it, and get reads what it wrote', () => {
    const applied = runPolyfleet(dir, ['apply', '-f', quickstart]);
    expect(applied.status).toBe(0);
    const got = runPolyfleet(dir, ['get', 'strategies', '-o', 'json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ items: [{ metadata: { name: 'sim-cheapest' } }] });
  }, 60_000);
});
