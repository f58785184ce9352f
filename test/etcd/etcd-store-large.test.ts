import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import { openEtcdStore } from '../../runtime/store/etcd/index.js';
import { machine } from '../../runtime/store/file/fixture.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const logger = pino({ level: 'silent' });
const PREFIX = '/large/';
/** 1,200 Machines of ~4 KB: 4.8 MB, past gRPC's default 4 MB answer. */
const COUNT = 1_200;
let etcd: EtcdCluster;
let client: Etcd3;

beforeAll(async () => {
  etcd = await startEtcdCluster();
  client = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl) });
});
afterAll(async () => {
  client.close();
  await etcd.stop();
});

describe('an etcd store larger than one gRPC answer', () => {
  it('opens and lists every object (the first list goes a page at a time)', async () => {
    await (await openEtcdStore({ endpoints: etcd.hosts.split(','), prefix: PREFIX, logger })).close();
    const note = 'x'.repeat(4_000);
    for (let i = 0; i < COUNT; i += 100) {
      const puts = Array.from({ length: 100 }, (_, j) => {
        const m = machine(`m-${String(i + j).padStart(5, '0')}`);
        const value = { ...m, metadata: { ...m.metadata, uid: `uid-${String(i + j)}`, generation: 1, creationTimestamp: '2026-01-01T00:00:00Z', annotations: { note } } };
        return client.put(`${PREFIX}objects/Machine/default/${m.metadata.name}`).value(JSON.stringify(value));
      });
      await client.if(`${PREFIX}store`, 'Create', '>', 0).then(...puts).commit();
    }
    const store = await openEtcdStore({ endpoints: etcd.hosts.split(','), prefix: PREFIX, logger });
    try {
      const listed = await store.list('Machine');
      expect(listed).toHaveLength(COUNT);
      expect(listed.at(-1)?.metadata.name).toBe(`m-${String(COUNT - 1).padStart(5, '0')}`);
    } finally {
      await store.close();
    }
  });
});
