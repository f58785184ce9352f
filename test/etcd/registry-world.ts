import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import type { Machine } from '../../api/index.js';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import type { Watch } from '../../runtime/store/index.js';
import { eventually } from '../../runtime/testing/async.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

export const QUICKSTART = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
export const DNS_DOMAIN = 'fleet.local';

/** A `polyfleet run` on a state file with the node registry (and DNS records) in a test etcd, and live views of both. */
export interface RegistryWorld {
  readonly etcd: EtcdCluster;
  readonly dir: string;
  readonly simDir: string;
  readonly statePath: string;
  readonly client: Etcd3;
  /** Every key in etcd and its value, as of the last poll (every 100 ms). */
  keys(): ReadonlyMap<string, string>;
  /** The Machines in the state file, as of the last change seen. */
  machines(): readonly Machine[];
  /** The running `polyfleet run`, if any. */
  run(): BackgroundPolyfleet | undefined;
  /** Starts `polyfleet run` with the registry flags (and `extra`); resolves once it serves probes. */
  startRun(extra?: readonly string[]): Promise<BackgroundPolyfleet>;
  /** SIGKILLs the run, as a crash would. */
  killRun(): Promise<void>;
  /** The sum of a counter of the run's /metrics whose labels include `labels`, as of the last poll. */
  counter(name: string, labels: string): number;
  close(): Promise<void>;
}

export async function startRegistryWorld(): Promise<RegistryWorld> {
  const etcd = await startEtcdCluster();
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-registry-'));
  const simDir = join(dir, 'sim');
  const statePath = join(dir, 'state.jsonl');
  const client = new Etcd3({ hosts: etcd.hosts.split(',').map((h) => `http://${h}`) });
  let keys = new Map<string, string>();
  let metrics = '';
  let polling = false;
  let current: BackgroundPolyfleet | undefined;
  let metricsUrl: string | undefined;
  const poll = setInterval(() => {
    if (polling) return;
    polling = true;
    Promise.all([
      client.getAll().prefix('/').strings().then((all) => { keys = new Map(Object.entries(all)); }),
      metricsUrl === undefined ? Promise.resolve() : fetch(`${metricsUrl}/metrics`).then((r) => r.text()).then((t) => { metrics = t; }),
    ]).then(() => { polling = false; }, () => { polling = false; });
  }, 100);
  let store: FileStore | undefined;
  let watch: Watch | undefined;
  const machines = new Map<string, Machine>();
  const follow = async (): Promise<void> => {
    store = await openFileStore({ path: statePath, readOnly: true, pollIntervalMs: 100, logger: pino({ level: 'silent' }) });
    watch = store.watch('Machine', (e) => {
      if (e.type === 'DELETED') machines.delete(e.object.metadata.name);
      else machines.set(e.object.metadata.name, e.object);
    });
  };
  const registryFlags = ['--registry-etcd', `etcd://${etcd.hosts}`, '--dns-domain', DNS_DOMAIN];
  const world: RegistryWorld = {
    etcd,
    dir,
    simDir,
    statePath,
    client,
    keys: () => keys,
    machines: () => [...machines.values()],
    run: () => current,
    async startRun(extra = []) {
      const run = startPolyfleet(dir, ['run', '--state', statePath, '--port', '0', '--sim-dir', simDir, ...registryFlags, ...extra]);
      current = run;
      await eventually(() => /serving http:/.test(run.stdout()) || run.child.exitCode !== null, 'the run to serve probes', 60_000);
      metricsUrl = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(run.stdout())?.[1];
      if (metricsUrl === undefined) throw new Error(`polyfleet run did not start:\n${run.stderr()}`);
      metrics = '';
      if (store === undefined) await follow();
      return run;
    },
    async killRun() {
      const run = current;
      if (run === undefined) return;
      current = undefined;
      metricsUrl = undefined;
      metrics = '';
      run.child.kill('SIGKILL');
      await run.exited;
    },
    counter(name, labels) {
      return metrics
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    },
    async close() {
      clearInterval(poll);
      await world.killRun();
      watch?.stop();
      await store?.close();
      client.close();
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Live hosts: Machines not being deleted, with an instance and an address. */
export function liveHosts(machines: readonly Machine[]): Machine[] {
  return machines.filter((m) => m.metadata.deletionTimestamp === undefined && m.status?.instanceId !== undefined && (m.status.addresses ?? []).length > 0);
}

/** The names under `prefix` among `keys` (the last path element), sorted. */
export function namesUnder(keys: ReadonlyMap<string, string>, prefix: string): string[] {
  return [...keys.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(k.lastIndexOf('/') + 1)).sort();
}
