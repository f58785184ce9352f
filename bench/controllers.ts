// The controllers' figures (RSS, idle cloud calls, store writes and CPU, restart → first reconcile,
// change → first cloud call, scale-out): every controller in-process
// (registerControllers on a Manager) over a file store and the sim, each in a temp dir. A bench
// prints; it never asserts timing.
// The kube informers' RSS runs on a kube-apiserver of its own (test/envtest), skipped with --no-kube.
// The processes whose RSS and idle CPU are measured run from an esbuild bundle (controllers-build.ts),
// not through tsx; this orchestrating process, which times the latency and the scale-out, runs under tsx.
//   npm run bench:controllers [-- --quick] [-- --no-kube] [-- --json] [-- --ts]   (--quick: a tenth of
//   every size, to try it out; --json: the headline figures as one JSON object, the last line of stdout;
//   --ts: the measured children through tsx too)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildBench, nodeArgsFor, type BenchBuild } from './controllers-build.js';
import { benchKubeInformers, type KubeRssFigures } from './controllers-kube.js';
import { benchChangeToCreate } from './controllers-latency.js';
import type { HoldOptions, RssFigures } from './controllers-rss.js';
import { benchScaleOut } from './controllers-scaleout.js';
import type { Figure } from './store-file.js';

const quick = process.argv.includes('--quick');
const json = process.argv.includes('--json');
const scale = (n: number): number => (quick ? Math.max(1, Math.round(n / 10)) : n);
const POOLS = scale(1_000);
const PER_POOL = 10;
const CHANGES = scale(200);
const SCALE_OUT = scale(10_000);
const CREATE_CALL_MS = 200;
/**
 * Creates in flight during the scale-out: the account's provider calls in flight, set by the bench
 * (the product's default is 16 calls per account, providers/registry.ts). The Machine controller
 * runs twice as many reconciles at once, as the product runs more reconciles than one account's
 * calls (50 by default, controllers/machine/machine-controller.ts): a reconcile also writes the
 * Machine's finalizer before its create and its status after, and with as many reconciles as
 * calls, every such write left a create slot empty (1.12 × the floor at 10,000).
 */
const IN_FLIGHT = 100;
const MACHINE_RECONCILES = 2 * IN_FLIGHT;
/**
 * The change feed lists each account-region every 30 s: a window of several periods. The settle
 * outlasts one period after convergence, whose listing still shows instances changed since the one
 * before (created, then running) and so enqueues their Machines once.
 */
const IDLE: Pick<HoldOptions, 'settleMs' | 'windowMs'> = quick ? { settleMs: 40_000, windowMs: 60_000 } : { settleMs: 40_000, windowMs: 180_000 };

/** What `--json` prints as the last line of stdout. */
interface Summary {
  readonly rssFileMB: number;
  readonly rssKubeMB: number | null;
  readonly steadyCallsPerMinute: number;
  readonly idleWritesPerMinute: number;
  readonly idleCpuPercent: number;
  readonly changeToCreateP99Ms: number;
  readonly scaleOut10kFloorRatio: number;
  readonly startToFirstReconcileMs: number;
}

async function main(): Promise<void> {
  // --ts: the measured children through the TypeScript loader, as before the bench built them.
  const built = process.argv.includes('--ts') ? undefined : await buildBench([FILE, KUBE]);
  try {
    await run(built);
  } finally {
    built?.remove();
  }
}

/** The measured children's entries: each runs only its own part, so loads only what that part imports. */
const FILE = 'bench/controllers-rss.ts';
const KUBE = 'bench/controllers-kube.ts';

async function run(built: BenchBuild | undefined): Promise<void> {
  const figures: Figure[] = [];
  const rss = fileBackendInChild(built?.entry(FILE) ?? fileURLToPath(new URL('controllers-rss.ts', import.meta.url)));
  const idle = rss.idle;
  figures.push({ what: `file backend: RSS, every controller holding ${rss.machines.toLocaleString('en')} Running Machines in ${rss.pools.toLocaleString('en')} pools`, value: `${mb(rss.idleRss)} after the idle window (${mb(rss.rss)} at convergence; process before: ${mb(rss.baselineRss)}; JS heap ${mb(rss.idleHeap)}; converged in ${seconds(rss.convergeMs)})` });
  let kube: KubeRssFigures | undefined;
  if (!process.argv.includes('--no-kube')) {
    kube = await benchKubeInformers(POOLS, PER_POOL, ...(built === undefined ? [] : [built.entry(KUBE)]));
    figures.push({ what: `kube backend: RSS, Manager + every controller, informers synced on ${kube.machines.toLocaleString('en')} Machines in ${kube.pools.toLocaleString('en')} pools`, value: `${mb(kube.rss)} after ${seconds(kube.idleWindowMs)} idle (${mb(kube.syncedRss)} right after the sync; process before: ${mb(kube.baselineRss)}; JS heap ${mb(kube.heap)}; sync ${seconds(kube.syncMs)}; not leading)` });
  }
  const window = `${seconds(idle.windowMs)} idle window, ${rss.accountRegions} sim account-regions`;
  figures.push({ what: `steady state: cloud calls per minute (${window})`, value: `${idle.callsPerMinute.toFixed(1)} (${breakdown(idle.calls)})` });
  figures.push({ what: `idle: store writes per minute`, value: `${idle.writesPerMinute.toFixed(1)} (${breakdown(idle.writes)}${idle.eventWrites > 0 ? `, ${idle.eventWrites} Events` : ''}; reconciles: ${breakdown(idle.reconciles)})` });
  // The sim is in-process: its listings read every instance file of the account, which counts here.
  figures.push({ what: `idle: CPU, % of one core (the in-process sim's listings included)`, value: `${idle.cpuPercent.toFixed(2)} %` });
  figures.push({ what: `restart on ${rss.machines.toLocaleString('en')} Machines: controller start → first reconcile`, value: `${rss.startToFirstReconcileMs.toFixed(0)} ms from Manager.start (${rss.openToFirstReconcileMs.toFixed(0)} ms from opening the store)` });
  const latency = await benchChangeToCreate(CHANGES);
  figures.push({ what: `NodePool replicas +1 → first provider create call (${latency.changes} changes)`, value: `p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms, max ${latency.maxMs.toFixed(1)} ms` });
  const out = await benchScaleOut({ replicas: SCALE_OUT, createCallMs: CREATE_CALL_MS, readyMs: CREATE_CALL_MS, machineConcurrency: MACHINE_RECONCILES, maxInFlight: IN_FLIGHT });
  const floorMs = (SCALE_OUT / IN_FLIGHT) * CREATE_CALL_MS;
  const ratio = out.createsReturnedMs / floorMs;
  figures.push({
    what: `scale-out 0 → ${SCALE_OUT.toLocaleString('en')}: all creates returned (${CREATE_CALL_MS} ms each, ${IN_FLIGHT} in flight, ${MACHINE_RECONCILES} reconciles; floor ${seconds(floorMs)})`,
    value: `${seconds(out.createsReturnedMs)}, ${ratio.toFixed(2)} × the floor (first create after ${out.firstCreateMs.toFixed(0)} ms; peak ${out.peakInFlight} in flight)`,
  });
  figures.push({ what: `scale-out 0 → ${SCALE_OUT.toLocaleString('en')}: all Machines Running (sim ready after ${CREATE_CALL_MS} ms)`, value: seconds(out.allRunningMs) });
  print(figures, built !== undefined);
  if (json) {
    const summary: Summary = {
      rssFileMB: round(rss.idleRss / 1024 / 1024),
      rssKubeMB: kube === undefined ? null : round(kube.rss / 1024 / 1024),
      steadyCallsPerMinute: round(idle.callsPerMinute),
      idleWritesPerMinute: round(idle.writesPerMinute),
      idleCpuPercent: round(idle.cpuPercent, 2),
      changeToCreateP99Ms: round(latency.p99Ms),
      scaleOut10kFloorRatio: round(ratio, 2),
      startToFirstReconcileMs: round(rss.startToFirstReconcileMs),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
}

/** In a fresh process, so only what holding the objects costs counts in its RSS. */
function fileBackendInChild(script: string): RssFigures {
  const out = execFileSync(process.execPath, ['--expose-gc', ...nodeArgsFor(script), '--hold-file', JSON.stringify({ pools: POOLS, perPool: PER_POOL, ...IDLE })], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as RssFigures;
}

function breakdown(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v}`).join(', ');
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function print(figures: readonly Figure[], built: boolean): void {
  const width = Math.max(...figures.map((f) => f.what.length));
  const how = built ? 'RSS and idle children bundled with esbuild' : 'RSS and idle children through tsx';
  process.stdout.write(`controllers (file store + sim, in-process; ${how})${quick ? ', --quick' : ''}\n${figures.map((f) => `  ${f.what.padEnd(width)}  ${f.value}`).join('\n')}\n`);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
