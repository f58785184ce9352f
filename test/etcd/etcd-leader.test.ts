import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import type { LeaderElector } from '../../runtime/manager/index.js';
import { openEtcdStore, type EtcdStore } from '../../runtime/store/etcd/index.js';
import { eventually } from '../../runtime/testing/async.js';
import { startCuttableProxy } from './cuttable-proxy.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const logger = pino({ level: 'silent' });
const campaignScript = fileURLToPath(new URL('./fixtures/campaign.ts', import.meta.url));
let etcd: EtcdCluster;
let stores: EtcdStore[] = [];
let electors: LeaderElector[] = [];
let prefixes = 0;

beforeAll(async () => {
  etcd = await startEtcdCluster();
});
afterEach(async () => {
  await Promise.all(electors.map((e) => e.stop()));
  await Promise.all(stores.map((s) => s.close()));
  electors = [];
  stores = [];
});
afterAll(async () => {
  await etcd.stop();
});

/** A process on the store: its elector, and whether it leads now. */
interface Candidate {
  readonly store: EtcdStore;
  readonly elector: LeaderElector;
  leading: boolean;
  startedAt?: number;
  stoppedAt?: number;
}

async function candidates(count: number, ttlSeconds: number, prefix = `/polyfleet-leader-${String(++prefixes)}/`, endpoints = etcd.hosts.split(',')): Promise<Candidate[]> {
  const result: Candidate[] = [];
  for (let i = 0; i < count; i++) {
    const store = await openEtcdStore({ endpoints, prefix, logger, callTimeoutMs: 2_000 });
    const elector = store.elector(logger, ttlSeconds);
    const candidate: Candidate = { store, elector, leading: false };
    elector.run({
      onStartedLeading: () => {
        candidate.leading = true;
        candidate.startedAt = Date.now();
      },
      onStoppedLeading: () => {
        candidate.leading = false;
        candidate.stoppedAt = Date.now();
      },
    });
    stores.push(store);
    electors.push(elector);
    result.push(candidate);
  }
  return result;
}


describe('leader election on etcd', () => {
  it('elects exactly one of three, names it in the leader key, and hands over when it stops', async () => {
    const three = await candidates(3, 15);
    await eventually(() => three.some((c) => c.leading), 'a leader', 20_000);
    const [leader, ...others] = [...three].sort((a, b) => Number(b.leading) - Number(a.leading));
    if (leader === undefined) throw new Error('no leader');
    expect(three.filter((c) => c.leading)).toHaveLength(1);
    expect(await leader.store.leader()).toBe(leader.elector.identity);
    await leader.elector.stop();
    expect(leader.leading).toBe(false);
    await eventually(() => others.some((c) => c.leading), 'a follower to take over', 20_000);
    expect(others.filter((c) => c.leading)).toHaveLength(1);
  }, 20_000);

  it('lets a follower take over within the lease TTL once the leader process is SIGKILLed', async () => {
    const prefix = `/polyfleet-leader-${String(++prefixes)}/`;
    const child = spawn(process.execPath, ['--import', 'tsx', campaignScript, etcd.hosts, prefix, '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      await eventually(() => out.includes('leading'), 'the child process to lead', 20_000);
      const [follower] = await candidates(1, 2, prefix);
      if (follower === undefined) throw new Error('no follower');
      expect(follower.leading).toBe(false);
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      await eventually(() => follower.leading, 'the follower to lead after the TTL', 10_000);
      // The TTL is 2 s; etcd may keep a lease up to one election timeout longer, the follower tries every second.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      expect(await follower.store.leader()).toBe(follower.elector.identity);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);

  it('takes over a dead leader\'s key that etcd keeps alive past its lease, once it goes unrenewed for the lease', async () => {
    // etcd restarts every lease's countdown when its own raft leader changes, so a dead leader's key
    // can outlive its lease by a whole TTL: here a 60 s lease nobody renews stands for that.
    const prefix = `/polyfleet-leader-${String(++prefixes)}/`;
    stores.push(await openEtcdStore({ endpoints: etcd.hosts.split(','), prefix, logger, callTimeoutMs: 2_000 }));
    const client = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl) });
    const dead = client.namespace(prefix).lease(60);
    await dead.put('leader').value('dead-host_1_00000000');
    dead.release();
    const [follower] = await candidates(1, 2, prefix);
    if (follower === undefined) throw new Error('no follower');
    const startedAt = Date.now();
    await eventually(() => follower.leading, 'the follower to take the unrenewed key over', 20_000);
    expect(await follower.store.leader()).toBe(follower.elector.identity);
    // Long before the 60 s lease, and not before the key went unrenewed for most of a 2 s lease.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_500);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    await dead.revoke();
    client.close();
  }, 40_000);

  it('stops a leader cut off from etcd before a follower can start leading', async () => {
    const proxy = await startCuttableProxy(etcd.hosts.split(',')[0] ?? '');
    try {
      const prefix = `/polyfleet-leader-${String(++prefixes)}/`;
      const [cutOff] = await candidates(1, 2, prefix, [proxy.host]);
      if (cutOff === undefined) throw new Error('no candidate');
      await eventually(() => cutOff.leading, 'the first candidate to lead', 20_000);
      const [follower] = await candidates(1, 2, prefix);
      if (follower === undefined) throw new Error('no follower');
      proxy.cut();
      await eventually(() => follower.leading, 'the follower to lead once the lease expired', 15_000);
      expect(cutOff.leading).toBe(false);
      expect(cutOff.stoppedAt).toBeLessThan(follower.startedAt ?? 0);
    } finally {
      await proxy.close();
    }
  }, 30_000);
});
