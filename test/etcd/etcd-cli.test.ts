import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine, NodePool } from '../../api/index.js';
import { runCli } from '../../cli/run-cli.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { openEtcdStore, type EtcdStore } from '../../runtime/store/etcd/index.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
const DEADLINE_MS = 180_000;

/** The quickstart as a user runs it on etcd: `polyfleet run --store etcd://…`, every other command from processes of their own. */
describe('the quickstart on an etcd store', () => {
  let etcd: EtcdCluster;
  let dir: string;
  let simDir: string;
  let storeFlag: string[];
  let run: BackgroundPolyfleet;
  let store: EtcdStore;

  beforeAll(async () => {
    etcd = await startEtcdCluster();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-etcd-cli-'));
    simDir = join(dir, 'sim');
    storeFlag = ['--store', `etcd://${etcd.hosts}`];
    run = startPolyfleet(dir, ['run', '-f', quickstart, ...storeFlag, '--port', '0', '--sim-dir', simDir]);
    await until('the run to serve probes', () => Promise.resolve(/serving http:/.test(run.stdout())));
    store = await openEtcdStore({ endpoints: etcd.hosts.split(','), logger: pino({ level: 'silent' }) });
  }, DEADLINE_MS);

  afterAll(async () => {
    await store.close();
    run.child.kill('SIGKILL');
    await run.exited;
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + DEADLINE_MS;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nrun stdout:\n${run.stdout()}\nrun stderr:\n${run.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function observe(): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    return { pool: await store.get('NodePool', { namespace: 'default', name: 'workers' }), machines: await store.list('Machine') };
  }

  function liveSimInstances(): { id: string; state: string; tags: Record<string, string> }[] {
    const listed = runPolyfleet(dir, ['sim', 'instances', '--dir', simDir]);
    expect(listed.status).toBe(0);
    return (JSON.parse(listed.stdout) as { id: string; state: string; tags: Record<string, string> }[]).filter((i) => i.state !== 'terminated');
  }

  it('converges: Ready with 7 Machines Running, one sim instance each, and says where its state is', async () => {
    expect(run.stdout()).toContain(`store etcd://${etcd.hosts} prefix /polyfleet/`);
    await until('7 Machines Running and the pool Ready', async () => {
      const { pool, machines } = await observe();
      const ready = pool?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return ready && machines.length === 7 && machines.every((m) => m.status?.phase === 'Running');
    });
    const { machines } = await observe();
    expect(liveSimInstances().map((i) => i.tags['polyfleet.io/machine']).sort()).toEqual(machines.map((m) => m.metadata.uid).sort());
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(run.stdout())?.[1] ?? '';
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  }, DEADLINE_MS);

  it('answers get, describe and members from the etcd store', () => {
    const pools = runPolyfleet(dir, ['get', 'nodepools', ...storeFlag]);
    expect(pools.status).toBe(0);
    expect(pools.stdout).toMatch(/^workers +7 +7 /m);
    const machines = runPolyfleet(dir, ['get', 'machines', '-o', 'json', ...storeFlag]);
    expect((JSON.parse(machines.stdout) as { items: unknown[] }).items).toHaveLength(7);
    const described = runPolyfleet(dir, ['describe', 'nodepool', 'workers', ...storeFlag]);
    expect(described.status).toBe(0);
    expect(described.stdout).toMatch(/Events:[\s\S]*Normal/);
    const members = runPolyfleet(dir, ['members', ...storeFlag]);
    expect(members.status).toBe(0);
    expect(members.stdout.trimEnd().split('\n').slice(1)).toHaveLength(7);
  });

  it('deletes the pool with --wait: every sim instance terminated, then the objects gone', async () => {
    const deleted = runPolyfleet(dir, ['delete', 'nodepool', 'workers', '--wait', '--timeout', '2m', ...storeFlag]);
    expect(deleted).toMatchObject({ status: 0, stdout: 'nodepool.polyfleet.io "workers" deleted\n' });
    expect(liveSimInstances()).toEqual([]);
    await until('the store to show the pool and its Machines gone', async () => {
      const { pool, machines } = await observe();
      return pool === undefined && machines.length === 0;
    });
  }, DEADLINE_MS);

  it('fails at once, naming the endpoint, when etcd cannot be reached', async () => {
    const [port] = await freeLoopbackPorts(1);
    const result = runPolyfleet(dir, ['get', 'nodepools', '--store', `etcd://127.0.0.1:${String(port)}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`etcd at 127\\.0\\.0\\.1:${String(port)}: .*cannot be reached`));
  });

  it('says in --help how to point a command at etcd', async () => {
    for (const command of ['run', 'apply', 'get', 'describe', 'delete', 'members', 'create']) {
      let help = '';
      const status = await runCli([command, '--help'], { stdout: (text) => (help += text), stderr: () => undefined });
      expect(status).toBe(0);
      expect(help).toContain('--store etcd://HOST:PORT');
      expect(help).toContain('--etcd-prefix');
    }
  });
});
