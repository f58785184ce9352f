import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import type { NodePool } from '../../api/index.js';
import { ConflictError, type Store, type WatchEvent } from '../../runtime/store/index.js';
import { openEtcdStore, type EtcdStore } from '../../runtime/store/etcd/index.js';
import { eventually } from '../../runtime/testing/async.js';
import { startCuttableProxy, type CuttableProxy } from './cuttable-proxy.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const logger = pino({ level: 'silent' });
let etcd: EtcdCluster;
let raw: Etcd3;
let opened: Store[] = [];
let prefixes = 0;

beforeAll(async () => {
  etcd = await startEtcdCluster();
  raw = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl) });
});
afterEach(async () => {
  await Promise.all(opened.map((s) => s.close()));
  opened = [];
});
afterAll(async () => {
  raw.close();
  await etcd.stop();
});

async function open(prefix: string, endpoints = etcd.hosts.split(',')): Promise<EtcdStore> {
  const store = await openEtcdStore({ endpoints, prefix, logger, callTimeoutMs: 5_000 });
  opened.push(store);
  return store;
}

const freshPrefix = (): string => `/polyfleet-shared-${String(++prefixes)}/`;

const pool = (name: string): NodePool & { kind: 'NodePool' } => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'NodePool',
  metadata: { name, namespace: 'default' },
  spec: { replicas: 1, redundancy: '1:1', strategyRef: { name: 's' }, template: {}, disruption: { maxUnavailable: 1 }, readyTimeoutSeconds: 900, remediation: { maxUnhealthy: '40%', windowSeconds: 600 }, dryRun: false, paused: false },
});


describe('etcd store shared by several processes', () => {
  it('shows one process the writes of another, through get and watch, and agrees on the installation id', async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    expect(a.installationId).toMatch(/^pf-/);
    expect(b.installationId).toBe(a.installationId);
    const seen: WatchEvent<'NodePool'>[] = [];
    b.watch('NodePool', (e) => seen.push(e));
    const created = await a.create(pool('workers'));
    await eventually(() => seen.some((e) => e.object.metadata.uid === created.metadata.uid), 'b to see the create', 20_000);
    expect((await b.get('NodePool', { namespace: 'default', name: 'workers' }))?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('refuses a write planned on a version another process has replaced, and applies patches from both', async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    const created = await a.create(pool('workers'));
    // b has not necessarily seen the create yet: its write must still find the object.
    await b.update({ ...created, kind: 'NodePool', spec: { ...created.spec, replicas: 2 } });
    await expect(a.update({ ...created, kind: 'NodePool', spec: { ...created.spec, replicas: 3 } })).rejects.toBeInstanceOf(ConflictError);
    // Patches carry no resourceVersion: each lands on whatever the other wrote, none is lost.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? a : b).patch('NodePool', { namespace: 'default', name: 'workers' }, { type: 'merge', patch: { metadata: { labels: { [`p${String(i)}`]: 'x' } } } }),
      ),
    );
    // A fresh store reads etcd as it is now (a and b may still be catching up on each other's last write).
    const fresh = await open(prefix);
    const labels = (await fresh.get('NodePool', { namespace: 'default', name: 'workers' }))?.metadata.labels ?? {};
    expect(Object.keys(labels).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `p${String(i)}`).sort());
  });

  it('lists again after a partition outlived the history it missed, replays what changed, and is unhealthy meanwhile', async () => {
    const prefix = freshPrefix();
    const proxy: CuttableProxy = await startCuttableProxy(etcd.hosts.split(',')[0] ?? '');
    try {
      const writer = await open(prefix);
      await writer.create(pool('stays'));
      const goes = await writer.create(pool('goes'));
      const partitioned = await open(prefix, [proxy.host]);
      const seen: WatchEvent<'NodePool'>[] = [];
      partitioned.watch('NodePool', (e) => seen.push(e));
      await eventually(() => seen.length === 2, 'the initial ADDEDs', 20_000);

      proxy.cut();
      await eventually(() => !partitioned.health().ok, 'the store to report the lost watch', 20_000);
      await writer.delete('NodePool', { namespace: 'default', name: 'goes' });
      const added = await writer.create(pool('added'));
      const { header } = await raw.put('/unrelated').value('x').exec();
      await raw.kv.compact({ revision: header.revision, physical: true });
      proxy.heal();

      await eventually(() => seen.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'added'), 'the re-list to replay the create', 20_000);
      await eventually(() => seen.some((e) => e.type === 'DELETED' && e.object.metadata.uid === goes.metadata.uid), 'the re-list to replay the delete', 20_000);
      await eventually(() => partitioned.health().ok, 'the store to be healthy again', 20_000);
      const names = (await partitioned.list('NodePool')).map((p) => p.metadata.name);
      expect(names).toEqual(['added', 'stays']);
      expect((await partitioned.get('NodePool', { namespace: 'default', name: 'added' }))?.metadata.uid).toBe(added.metadata.uid);
    } finally {
      await proxy.close();
    }
    // etcd3 backs off reconnecting to a member that failed three times in a row for 5 s.
  }, 30_000);
});

describe('etcd store events', () => {
  it('keeps events any process lists, oldest first, and counts a repeat instead of adding one', async () => {
    const prefix = freshPrefix();
    const [a, b] = [await open(prefix), await open(prefix)];
    const regarding = { kind: 'NodePool' as const, namespace: 'default', name: 'workers', uid: 'u1' };
    const failed = { type: 'Warning' as const, reason: 'CreateFailed', action: 'Create', message: 'capacity: none in r1a' };
    await a.eventSink().write(regarding, { type: 'Normal', reason: 'Created', action: 'Create', message: 'created workers-0' }, new Date('2026-01-01T00:00:00Z'));
    await a.eventSink().write(regarding, failed, new Date('2026-01-01T00:00:01Z'));
    await b.eventSink().write(regarding, failed, new Date('2026-01-01T00:00:05Z'));
    const events = await b.eventSink().list({ kind: 'NodePool', namespace: 'default', name: 'workers' });
    expect(events.map((e) => [e.reason, e.count, e.lastTimestamp])).toEqual([
      ['Created', 1, '2026-01-01T00:00:00.000Z'],
      ['CreateFailed', 2, '2026-01-01T00:00:05.000Z'],
    ]);
    expect(await a.eventSink().list({ kind: 'NodePool', namespace: 'default', name: 'other' })).toEqual([]);
  });
});
