import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { parse } from 'yaml';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { takeSimCensus, type SimCensus } from '../../cli/testing/sim-census.js';
import { eventually } from '../../runtime/testing/async.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
const DEADLINE_MS = 180_000;

interface DumpedObject {
  kind: string;
  metadata: { name: string; uid: string; finalizers?: string[] };
  spec?: unknown;
  status?: { phase?: string; instanceId?: string };
}
interface DumpedEvent {
  regarding: { kind: string; namespace: string; name: string };
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string;
}
interface Dump {
  installationId: string;
  objects: DumpedObject[];
  events: DumpedEvent[];
}

/**
 * A Running pool moved the way a user moves it — stop `polyfleet run`, `state export`, `state
 * import` into another store, `polyfleet run` there — from a state file to etcd and back: the
 * installation keeps its id, every Machine its UID and instance, and no instance is created or
 * terminated on the way.
 */
describe('polyfleet state export | state import: file → etcd → file', () => {
  let etcd: EtcdCluster;
  let dir: string;
  let simDir: string;
  const runs: BackgroundPolyfleet[] = [];

  beforeAll(async () => {
    etcd = await startEtcdCluster();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-state-move-'));
    simDir = join(dir, 'sim');
  }, DEADLINE_MS);

  afterAll(async () => {
    for (const run of runs) run.child.kill('SIGKILL');
    await Promise.all(runs.map((r) => r.exited));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `polyfleet run` on a store; resolves once it serves probes. */
  async function startRun(storeFlags: readonly string[], extra: readonly string[] = []): Promise<{ run: BackgroundPolyfleet; metrics: () => string; stop: () => Promise<void> }> {
    const run = startPolyfleet(dir, ['run', ...storeFlags, '--port', '0', '--sim-dir', simDir, ...extra]);
    runs.push(run);
    await eventually(() => /serving http:/.test(run.stdout()) || run.child.exitCode !== null, 'the run to serve probes', 60_000);
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(run.stdout())?.[1];
    if (url === undefined) throw new Error(`polyfleet run did not start:\n${run.stderr()}`);
    let text = '';
    const poll = setInterval(() => {
      fetch(`${url}/metrics`).then((r) => r.text()).then((t) => (text = t), () => undefined);
    }, 200);
    return {
      run,
      metrics: () => text,
      async stop() {
        clearInterval(poll);
        run.child.kill('SIGTERM');
        expect(await run.exited).toBe(0);
      },
    };
  }

  /** The sum of a counter's samples whose labels include `labels`. */
  function counter(metrics: string, name: string, labels: string): number {
    return metrics
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  }

  /** Waits until the run has reconciled every Machine and listed the sim's instances a few times since it started. */
  async function waitForWork(metrics: () => string, machines: number): Promise<void> {
    await eventually(
      () => counter(metrics(), 'controller_runtime_reconcile_total', 'controller="machine"') >= machines && counter(metrics(), 'polyfleet_provider_requests_total', 'op="list"') >= 6,
      `every Machine reconciled and the sim listed (metrics:\n${metrics().split('\n').filter((l) => /reconcile_total|provider_requests_total/.test(l)).join('\n')})`,
      DEADLINE_MS,
    );
  }

  function exportDump(storeFlags: readonly string[], file: string): Dump {
    const exported = runPolyfleet(dir, ['state', 'export', ...storeFlags]);
    expect(exported).toMatchObject({ status: 0 });
    writeFileSync(join(dir, file), exported.stdout);
    return parse(exported.stdout) as Dump;
  }

  function importDump(storeFlags: readonly string[], file: string): string {
    const imported = runPolyfleet(dir, ['state', 'import', ...storeFlags, '-f', join(dir, file)]);
    expect(imported).toMatchObject({ status: 0 });
    return imported.stdout;
  }

  async function census(dump: Dump): Promise<SimCensus> {
    return takeSimCensus(simDir, new Set(dump.objects.filter((o) => o.kind === 'Machine').map((o) => o.metadata.uid)));
  }

  it('moves a Running pool with 0 instances created or terminated, keeping UIDs, status, finalizers and the installation id', async () => {
    const fileA = ['--state', join(dir, 'a.jsonl')];
    const first = await startRun(fileA, ['-f', quickstart]);
    await waitForWork(first.metrics, 7);
    await eventually(() => /workers: 7\/7 running/.test(first.run.stdout()), 'the pool to run 7 Machines', DEADLINE_MS);
    await first.stop();
    const installation = /installation (pf-[0-9a-f]+)/.exec(first.run.stdout())?.[1];

    const dumpA = exportDump(fileA, 'a.yaml');
    const machinesA = dumpA.objects.filter((o) => o.kind === 'Machine');
    expect(dumpA.installationId).toBe(installation);
    expect(machinesA).toHaveLength(7);
    expect(machinesA.every((m) => m.status?.phase === 'Running' && m.status.instanceId !== undefined && (m.metadata.finalizers ?? []).length > 0)).toBe(true);
    const before = await census(dumpA);
    expect(before).toMatchObject({ alive: 7, leaked: [], duplicates: [], machinesWithoutOneInstance: [] });
    expect([...before.aliveByManagedBy]).toEqual([[installation, 7]]);
    expect(dumpA.events.length).toBeGreaterThan(0);

    // To etcd, and a run there that adopts every instance.
    const onEtcd = ['--store', `etcd://${etcd.hosts}`];
    expect(importDump(onEtcd, 'a.yaml')).toBe(`imported ${String(dumpA.objects.length)} objects (1 NodePool, 1 Strategy, 1 PlacementRule, 7 Machines) and ${String(dumpA.events.length)} events into store etcd://${etcd.hosts} prefix /polyfleet/, installation ${String(installation)}\n`);
    const second = await startRun(onEtcd);
    expect(second.run.stdout()).toContain(`installation ${String(installation)}`);
    await waitForWork(second.metrics, 7);
    await second.stop();
    const dumpB = exportDump(onEtcd, 'b.yaml');
    expect(comparable(dumpB)).toEqual(comparable(dumpA));
    expect(eventsKept(dumpA, dumpB)).toEqual(dumpA.events.map(eventId));

    // Back to a new state file, and a run there.
    const fileC = ['--state', join(dir, 'c.jsonl')];
    importDump(fileC, 'b.yaml');
    const third = await startRun(fileC);
    expect(third.run.stdout()).toContain(`installation ${String(installation)}`);
    await waitForWork(third.metrics, 7);
    await third.stop();
    const dumpC = exportDump(fileC, 'c.yaml');
    expect(comparable(dumpC)).toEqual(comparable(dumpA));
    expect(eventsKept(dumpA, dumpC)).toEqual(dumpA.events.map(eventId));

    const after = await census(dumpA);
    expect({ created: after.created, alive: after.alive, leaked: after.leaked, duplicates: after.duplicates }).toEqual({ created: before.created, alive: 7, leaked: [], duplicates: [] });
  }, DEADLINE_MS * 2);

  it('refuses to import into a store that holds objects, and says so', () => {
    const again = runPolyfleet(dir, ['state', 'import', '--store', `etcd://${etcd.hosts}`, '-f', join(dir, 'a.yaml')]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/cannot import into store etcd:\/\/127\.0\.0\.1:\d+ prefix \/polyfleet\/: it already holds 10 objects \(an import never merges\)/);
    const intoFile = runPolyfleet(dir, ['state', 'import', '--state', join(dir, 'c.jsonl'), '-f', join(dir, 'a.yaml')]);
    expect(intoFile.status).toBe(1);
    expect(intoFile.stderr).toMatch(/cannot import into state .*c\.jsonl: it already holds 10 objects/);
  });

  it('finishes an import a crash interrupted, and no command opens the store before', async () => {
    const dump = parse(readFileSync(join(dir, 'a.yaml'), 'utf8')) as Dump;
    const half = ['--store', `etcd://${etcd.hosts}`, '--etcd-prefix', '/half/'];
    // What a crash after the first batch leaves: the marker still says "importing".
    const client = new Etcd3({ hosts: etcd.hosts.split(',').map((h) => `http://${h}`) });
    await client.put('/half/store').value(JSON.stringify({ format: 'polyfleet-store', version: 1, installationId: dump.installationId, importing: true }));
    client.close();
    const before = runPolyfleet(dir, ['get', 'machines', ...half]);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain('an import into the prefix "/half/" did not finish');
    importDump(half, 'a.yaml');
    const after = runPolyfleet(dir, ['get', 'machines', '-o', 'json', ...half]);
    expect(after.status).toBe(0);
    expect((JSON.parse(after.stdout) as { items: unknown[] }).items).toHaveLength(7);
  });

  it('names the field of a dump it cannot use', () => {
    writeFileSync(join(dir, 'bad.yaml'), readFileSync(join(dir, 'a.yaml'), 'utf8').replace(/installationId: .*/, 'installationId: Not_An_Id'));
    const bad = runPolyfleet(dir, ['state', 'import', '--state', join(dir, 'd.jsonl'), '-f', join(dir, 'bad.yaml')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('bad.yaml: installationId: must be a DNS label');
  });
});

/**
 * What must survive a move: the installation id, every object's metadata (uid, finalizers, owner
 * references, timestamps) and spec, and each Machine's instance. Other status moves on with the
 * runs (a pool's readyReplicas catching up), as it would without a move.
 */
function comparable(dump: Dump): unknown {
  return {
    installationId: dump.installationId,
    objects: dump.objects.map((o) => ({ kind: o.kind, metadata: o.metadata, spec: o.spec, instanceId: o.status?.instanceId })),
  };
}

/** An event as `polyfleet describe` tells it apart: its object, reason, message and first time. */
function eventId(e: DumpedEvent): string {
  return `${e.regarding.kind} ${e.regarding.namespace}/${e.regarding.name} ${e.reason} ${e.message} since ${e.firstTimestamp}`;
}

/** The events of `from` that `to` still has (a later run may have repeated them: the count only grows). */
function eventsKept(from: Dump, to: Dump): string[] {
  const later = new Map(to.events.map((e) => [eventId(e), e.count]));
  return from.events.filter((e) => (later.get(eventId(e)) ?? 0) >= e.count).map(eventId);
}
