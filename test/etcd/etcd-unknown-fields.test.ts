import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import type { Machine } from '../../api/index.js';
import { openEtcdStore, type EtcdStore } from '../../runtime/store/etcd/index.js';
import { machine } from '../../runtime/store/file/fixture.js';
import { eventually } from '../../runtime/testing/async.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const logger = pino({ level: 'silent' });
const PREFIX = '/unknown-fields/';
const KEY = `${PREFIX}objects/Machine/default/m1`;
let etcd: EtcdCluster;
let client: Etcd3;
let store: EtcdStore;

beforeAll(async () => {
  etcd = await startEtcdCluster();
  client = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl) });
  store = await openEtcdStore({ endpoints: etcd.hosts.split(','), prefix: PREFIX, logger });
});
afterAll(async () => {
  await store.close();
  client.close();
  await etcd.stop();
});

type Json = Record<string, unknown>;
const stored = async (): Promise<Json> => JSON.parse((await client.get(KEY).string()) ?? '{}') as Json;

/**
 * A newer polyfleet wrote fields this one does not know (a rollback: both read the same etcd). This
 * version reads the Machine without them — controllers see the types they were written for — and
 * its writes keep them, as the kube backend's do (the API server keeps them there).
 */
describe('fields of a newer version in etcd', () => {
  it('are hidden from reads and kept through update, updateStatus, patch and delete', async () => {
    const created = await store.create({ ...machine('m1'), metadata: { ...machine('m1').metadata, finalizers: ['polyfleet.io/test'] } });
    await store.updateStatus({ ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: 'Up', message: '', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }] } });
    // The newer version's write, straight into etcd.
    const newer = await stored();
    const spec = newer.spec as Json;
    const status = newer.status as Json & { conditions: Json[] };
    spec.hibernate = { after: '2h' };
    status.powerState = 'on';
    status.conditions = status.conditions.map((c) => ({ ...c, severity: 'Info' }));
    await client.put(KEY).value(JSON.stringify(newer));
    let read: Machine | undefined;
    await eventually(() => {
      void store.get('Machine', { namespace: 'default', name: 'm1' }).then((m) => (read = m));
      return read?.status?.phase === 'Running' && Number(read.metadata.resourceVersion) > Number(created.metadata.resourceVersion) + 1;
    }, 'the newer write to be read', 10_000);
    if (read === undefined) throw new Error('not read');
    expect(read.spec).not.toHaveProperty('hibernate');
    expect(read.status).not.toHaveProperty('powerState');
    expect(read.status?.conditions?.[0]).not.toHaveProperty('severity');

    const labeled = await store.update({ ...read, metadata: { ...read.metadata, labels: { role: 'web' } } });
    const failed = await store.updateStatus({ ...labeled, status: { ...labeled.status, phase: 'Failed' } });
    await store.patch('Machine', { namespace: 'default', name: 'm1' }, { type: 'merge', patch: { metadata: { annotations: { note: 'x' } } } });
    let after = await stored();
    expect(after).toMatchObject({ metadata: { labels: { role: 'web' }, annotations: { note: 'x' } }, spec: { hibernate: { after: '2h' } }, status: { phase: 'Failed', powerState: 'on', conditions: [{ type: 'Ready', severity: 'Info' }] } });

    // A condition this version rewrites is its own now: the newer field about the old one goes with it.
    const current = await store.get('Machine', { namespace: 'default', name: 'm1' });
    if (current === undefined) throw new Error('gone');
    expect(failed.status?.phase).toBe('Failed');
    await store.updateStatus({ ...current, status: { ...current.status, conditions: [{ type: 'Ready', status: 'False', reason: 'Down', message: '', lastTransitionTime: '2026-01-02T00:00:00Z', observedGeneration: 1 }] } });
    after = await stored();
    expect((after.status as { conditions: Json[] }).conditions[0]).not.toHaveProperty('severity');
    expect(after).toMatchObject({ spec: { hibernate: { after: '2h' } }, status: { powerState: 'on' } });

    // Deleting: the deletionTimestamp write keeps them too, until the finalizer goes and the object with it.
    await store.delete('Machine', { namespace: 'default', name: 'm1' });
    expect(await stored()).toMatchObject({ metadata: { deletionTimestamp: expect.any(String) }, status: { powerState: 'on' } });
  });
});
