import { afterAll, beforeAll } from '@jest/globals';
import { pino } from 'pino';
import { describeStoreConformance } from '../../runtime/store/conformance.js';
import { openEtcdStore } from '../../runtime/store/etcd/index.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const logger = pino({ level: 'silent' });
let etcd: EtcdCluster;
let prefix = '';
let opened = 0;

beforeAll(async () => {
  etcd = await startEtcdCluster();
});
afterAll(async () => {
  await etcd.stop();
});

const endpoints = (): string[] => etcd.hosts.split(',');

describeStoreConformance('etcd', {
  cascades: true,
  async open() {
    // A fresh prefix per test: an empty store on the suite's one etcd.
    prefix = `/polyfleet-conformance-${String(++opened)}/`;
    return { store: await openEtcdStore({ endpoints: endpoints(), prefix, logger }), namespace: 'default' };
  },
  reopen() {
    return openEtcdStore({ endpoints: endpoints(), prefix, logger });
  },
});
