import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { API_VERSION } from '../../api/index.js';
import { openFileStore, type FileStore } from '../store/file/index.js';
import { eventually, settle } from '../testing/async.js';
import { capturingLogger } from '../testing/log-capture.js';
import { testMachine, testNodePool, testStrategy } from '../testing/objects.js';
import { Manager } from './manager.js';
import { mapKind } from './registration.js';

const NS = 'default';

/** The manager on the embedded default backend: its watches, not a fake's, feed the queues. */
describe('Manager on the file store', () => {
  let dir: string;
  let store: FileStore;
  let manager: Manager;
  const seen: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-manager-'));
    const { log } = capturingLogger();
    store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: log });
    manager = new Manager({ store, log });
    seen.splice(0);
    manager.register({
      name: 'nodepool',
      kind: 'NodePool',
      reconcile: (_ctx, key) => {
        seen.push(key.name);
        return Promise.resolve({});
      },
      owns: ['Machine'],
      watches: [
        mapKind('Strategy', async (strategy) =>
          (await store.list('NodePool', { namespace: NS }))
            .filter((p) => p.spec.strategyRef.name === strategy.metadata.name)
            .map((p) => ({ namespace: NS, name: p.metadata.name })),
        ),
      ],
    });
  });

  afterEach(async () => {
    await manager.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expectOnly(names: string[]): Promise<void> {
    await eventually(() => names.every((n) => seen.includes(n)), `reconciles of ${names.join(', ')}`);
    await settle();
    expect([...new Set(seen)].sort()).toEqual([...names].sort());
    seen.splice(0);
  }

  it('routes own, owned and mapped kinds to the right NodePool keys', async () => {
    const strategy = await store.create(testStrategy(NS, 'cheap'));
    await store.create(testStrategy(NS, 'other'));
    const a = await store.create(testNodePool(NS, 'a', 'cheap'));
    await store.create(testNodePool(NS, 'b', 'cheap'));
    const c = await store.create(testNodePool(NS, 'c', 'other'));
    await manager.start();
    await expectOnly(['a', 'b', 'c']);

    await store.create(testMachine(a, 'a-0'));
    await expectOnly(['a']);

    await store.update({ ...strategy, metadata: { ...strategy.metadata, labels: { tier: 'gold' } } });
    await expectOnly(['a', 'b']);

    const machine = await store.create(testMachine(c, 'c-0'));
    await expectOnly(['c']);
    const ownerA = [{ apiVersion: API_VERSION, kind: 'NodePool', name: 'a', uid: a.metadata.uid ?? '', controller: true }];
    await store.update({ ...machine, metadata: { ...machine.metadata, ownerReferences: ownerA } });
    await expectOnly(['a', 'c']);
  });

  it('reconciles the owner when one of its Machines is deleted', async () => {
    const pool = await store.create(testNodePool(NS, 'workers', 'cheap'));
    await store.create(testMachine(pool, 'workers-0'));
    await store.create(testNodePool(NS, 'bystander', 'cheap'));
    await manager.start();
    await expectOnly(['workers', 'bystander']);
    await store.delete('Machine', { namespace: NS, name: 'workers-0' });
    await expectOnly(['workers']);
  });
});
