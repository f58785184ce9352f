// The one Store conformance suite, on the kube backend against the real kube-apiserver.
import { beforeAll } from '@jest/globals';
import { pino } from 'pino';
import { describeStoreConformance } from '../../runtime/store/conformance.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { applyCrds, createNamespace, loadKubeConfig } from './cluster.js';

const kubeConfig = loadKubeConfig();
const openStore = (): KubeStore => new KubeStore({ kubeConfig, logger: pino({ level: 'warn' }) });

beforeAll(async () => {
  await applyCrds();
}, 90_000);

describeStoreConformance('kube', {
  async open() {
    return { store: openStore(), namespace: await createNamespace(kubeConfig, 'kube-store') };
  },
  // A process restart: a new store, new informers, on the same cluster.
  reopen() {
    return Promise.resolve(openStore());
  },
  cascades: false,
});
