// npm run bench:cli — how long the one-shot CLI takes to answer, as a user runs it
// (`node bin/polyfleet.js …`, a new process each time): `polyfleet --help`, `polyfleet get
// nodepools --state F` on the quickstart's state, and `node -e 0` — what any node process costs on
// this machine — in the same run, interleaved, so a busy machine slows all three alike.
// The goal: `get` within 300 ms wall on an idle machine and within 6× `node -e 0`.
//
// Builds dist/ first when it is missing or stale (bin/polyfleet.js would otherwise run the sources
// through tsx). Medians of RUNS runs after one warm-up of each; CPU is the children's user+system
// time per run (Linux), which a busy machine does not inflate. `-- --json` prints the figures as
// one JSON object on the last line; `-- --root DIR` measures another checkout or installed package
// as it is (no build), e.g. to compare with an older commit.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const RUNS = 10;
const GOAL_MS = 300;
const GOAL_RATIO = 6;

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));

interface Measured {
  readonly what: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Mean user+system CPU per run, ms; undefined where /proc is not there to tell. */
  readonly cpuMs: number | undefined;
}

/** This process's waited-for children's user+system CPU so far, ms (Linux /proc), else undefined. */
function childrenCpuMs(): number | undefined {
  try {
    // Fields after the command name: state is the 3rd field, cutime and cstime the 16th and 17th.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

function runOnce(argv: readonly string[], cwd: string): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${String(r.status)}:\n${r.stderr}`);
  return ms;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Each command RUNS times, interleaved, after one warm-up run of each. */
function measure(commands: readonly { what: string; argv: readonly string[] }[], cwd: string, runs: number): Measured[] {
  for (const c of commands) runOnce(c.argv, cwd);
  const times = commands.map(() => [] as number[]);
  const cpu = commands.map(() => 0);
  let cpuKnown = true;
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, j) => {
      const before = childrenCpuMs();
      times[j]?.push(runOnce(c.argv, cwd));
      const after = childrenCpuMs();
      if (before === undefined || after === undefined) cpuKnown = false;
      else cpu[j] = (cpu[j] ?? 0) + after - before;
    });
  }
  return commands.map((c, j) => {
    const t = times[j] ?? [];
    return { what: c.what, medianMs: median(t), minMs: Math.min(...t), maxMs: Math.max(...t), cpuMs: cpuKnown ? (cpu[j] ?? 0) / runs : undefined };
  });
}

function main(): void {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, root: { type: 'string' }, runs: { type: 'string' } } });
  const root = resolve(values.root ?? repo);
  const runs = values.runs === undefined ? RUNS : Number(values.runs);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (values.root === undefined) {
    // Output on stderr, so that with --json the figures stay the last line of stdout.
    const built = spawnSync(process.execPath, [join(root, 'bin/build.js'), '--if-stale'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  const bin = join(root, 'bin/polyfleet.js');
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-bench-cli-'));
  try {
    const state = join(dir, 'state.jsonl');
    runOnce([bin, 'apply', '-f', join(repo, 'examples/quickstart'), '--state', state], dir);
    const figures = measure(
      [
        { what: 'polyfleet --help', argv: [bin, '--help'] },
        { what: 'polyfleet get nodepools --state F', argv: [bin, 'get', 'nodepools', '--state', state] },
        { what: 'node -e 0', argv: ['-e', '0'] },
      ],
      dir,
      runs,
    );
    const [help, get, node] = figures;
    if (help === undefined || get === undefined || node === undefined) throw new Error('three figures expected');
    const ratio = get.medianMs / node.medianMs;
    log(`polyfleet CLI start-up — ${root === repo ? 'this checkout' : root}, node ${process.version}, median of ${runs} runs after a warm-up`);
    log('');
    log(`${'command'.padEnd(36)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)} ${'cpu/run'.padStart(9)}`);
    const ms = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n)} ms`).padStart(9);
    for (const f of figures) log(`${f.what.padEnd(36)} ${ms(f.medianMs)} ${ms(f.minMs)} ${ms(f.maxMs)} ${ms(f.cpuMs)}`);
    log('');
    const ok = get.medianMs <= GOAL_MS && ratio <= GOAL_RATIO;
    log(`get / node -e 0: ${ratio.toFixed(1)}× — goal: get ≤ ${GOAL_MS} ms and ≤ ${GOAL_RATIO}× node -e 0 (on an idle machine): ${ok ? 'met' : 'not met'}`);
    if (values.json) {
      log(JSON.stringify({ runs, helpMs: Math.round(help.medianMs), getMs: Math.round(get.medianMs), nodeMs: Math.round(node.medianMs), getOverNode: Number(ratio.toFixed(2)), helpCpuMs: help.cpuMs, getCpuMs: get.cpuMs, nodeCpuMs: node.cpuMs, goalMet: ok }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
