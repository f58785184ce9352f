import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import { EtcdUnavailableError, ForeignDataError, openEtcdStore } from '../../runtime/store/etcd/index.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const logger = pino({ level: 'silent' });
const ROOT = { name: 'root', password: 'root-secret' };
let etcd: EtcdCluster;
let root: Etcd3;

// One etcd with authentication on, as a production etcd has it.
beforeAll(async () => {
  etcd = await startEtcdCluster();
  const setup = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl) });
  await setup.role('root').create();
  await setup.user(ROOT.name).create(ROOT.password);
  await setup.user(ROOT.name).addRole('root');
  await setup.auth.authEnable({});
  setup.close();
  root = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl), auth: { username: ROOT.name, password: ROOT.password } });
});
afterAll(async () => {
  root.close();
  await etcd.stop();
});

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('opened, but should not have'), (e: unknown) => e);

describe('opening an etcd store that cannot be used', () => {
  it('names the endpoint and says it cannot be reached when nothing listens there', async () => {
    const [port] = await freeLoopbackPorts(1);
    const endpoint = `127.0.0.1:${String(port)}`;
    const error = await failure(openEtcdStore({ endpoints: [endpoint], logger, callTimeoutMs: 2_000 }));
    expect(error).toBeInstanceOf(EtcdUnavailableError);
    expect((error as Error).message).toContain(endpoint);
    expect((error as Error).message).toMatch(/cannot be reached/);
  });

  it('names the endpoint and says the credentials were refused for a wrong password', async () => {
    const error = await failure(openEtcdStore({ endpoints: etcd.hosts.split(','), user: { name: ROOT.name, password: 'wrong' }, logger, callTimeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(EtcdUnavailableError);
    expect((error as Error).message).toContain(etcd.hosts);
    expect((error as Error).message).toMatch(/refused the credentials/);
  });

  it('works with the right password', async () => {
    const store = await openEtcdStore({ endpoints: etcd.hosts.split(','), prefix: '/with-auth/', user: ROOT, logger });
    try {
      expect(await store.list('NodePool')).toEqual([]);
      expect(await root.get('/with-auth/store').string()).toContain(store.installationId);
    } finally {
      await store.close();
    }
  });

  it('refuses a prefix that holds keys of something else, names one, and writes nothing there', async () => {
    await root.put('/not-ours/config').value('{"app":"other"}');
    const error = await failure(openEtcdStore({ endpoints: etcd.hosts.split(','), prefix: '/not-ours', user: ROOT, logger }));
    expect(error).toBeInstanceOf(ForeignDataError);
    expect((error as Error).message).toContain('/not-ours/config');
    expect((error as Error).message).toContain(etcd.hosts);
    expect(await root.getAll().prefix('/not-ours/').keys()).toEqual(['/not-ours/config']);
  });

  it('refuses a prefix whose marker key is not a polyfleet store marker', async () => {
    await root.put('/odd-marker/store').value('hello');
    const error = await failure(openEtcdStore({ endpoints: etcd.hosts.split(','), prefix: '/odd-marker/', user: ROOT, logger }));
    expect(error).toBeInstanceOf(ForeignDataError);
  });
});
