// The controllers' figures (RSS, change → first cloud call, scale-out): every controller in-process
// (registerControllers on a Manager) over a file store and the sim, each in a temp dir. A bench
// prints; it never asserts timing.
// The kube informers' RSS runs on a kube-apiserver of its own (test/envtest), skipped with --no-kube.
//   npm run bench:controllers [-- --quick] [-- --no-kube]   (--quick: a tenth of every size, to try it out)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchKubeInformers } from './controllers-kube.js';
import { benchChangeToCreate } from './controllers-latency.js';
import { holdFileBackend, type RssFigures } from './controllers-rss.js';
import { benchScaleOut } from './controllers-scaleout.js';
import type { Figure } from './store-file.js';

const quick = process.argv.includes('--quick');
const scale = (n: number): number => (quick ? Math.max(1, Math.round(n / 10)) : n);
const POOLS = scale(1_000);
const PER_POOL = 10;
const CHANGES = scale(200);
const SCALE_OUT = scale(1_000);
const CREATE_CALL_MS = 200;
/** Machine controller's concurrency (controllers/machine/machine-controller.ts). */
const CONCURRENT_CREATES = 50;

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const rss = fileBackendInChild();
  figures.push({ what: `file backend: RSS, every controller holding ${rss.machines.toLocaleString('en')} Running Machines in ${rss.pools.toLocaleString('en')} pools`, value: `${mb(rss.rss)} (process before: ${mb(rss.baselineRss)}; JS heap ${mb(rss.heap)}; converged in ${seconds(rss.convergeMs)})` });
  if (!process.argv.includes('--no-kube')) {
    const kube = await benchKubeInformers(POOLS, PER_POOL);
    figures.push({ what: `kube backend: RSS, Manager + every controller, informers synced on ${kube.machines.toLocaleString('en')} Machines in ${kube.pools.toLocaleString('en')} pools`, value: `${mb(kube.rss)} (process before: ${mb(kube.baselineRss)}; JS heap ${mb(kube.heap)}; sync ${seconds(kube.syncMs)}; not leading)` });
  }
  const latency = await benchChangeToCreate(CHANGES);
  figures.push({ what: `NodePool replicas +1 → first provider create call (${latency.changes} changes)`, value: `p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms, max ${latency.maxMs.toFixed(1)} ms` });
  const out = await benchScaleOut(SCALE_OUT, CREATE_CALL_MS, CREATE_CALL_MS);
  const boundMs = (SCALE_OUT / CONCURRENT_CREATES) * CREATE_CALL_MS;
  const margin = boundMs - out.createsReturnedMs;
  figures.push({
    what: `scale-out 0 → ${SCALE_OUT}: all creates returned (${CREATE_CALL_MS} ms each, ${CONCURRENT_CREATES} concurrent; judged against ${seconds(boundMs)})`,
    value: `${seconds(out.createsReturnedMs)} (${margin >= 0 ? `${seconds(margin)} inside` : `${seconds(-margin)} over`} the bound; first create after ${out.firstCreateMs.toFixed(0)} ms; peak ${out.peakInFlight} in flight)`,
  });
  figures.push({ what: `scale-out 0 → ${SCALE_OUT}: all Machines Running (sim ready after ${CREATE_CALL_MS} ms, polled every 2 s)`, value: seconds(out.allRunningMs) });
  print(figures);
}

/** In a fresh process, so only what holding the objects costs counts in its RSS. */
function fileBackendInChild(): RssFigures {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--hold-file', String(POOLS), String(PER_POOL)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as RssFigures;
}

function print(figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.what.length));
  process.stdout.write(`controllers (file store + sim, in-process)${quick ? ', --quick' : ''}\n${figures.map((f) => `  ${f.what.padEnd(width)}  ${f.value}`).join('\n')}\n`);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--hold-file') {
    const figures = await holdFileBackend(Number(process.argv[3]), Number(process.argv[4]));
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    await main();
  }
}
