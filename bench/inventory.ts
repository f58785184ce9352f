// npm run bench:inventory — the Ansible inventory of a 10,000-host fleet, as a user gets it: a state
// file with 10,000 Running Machines (3 accounts, 6 regions, 18 zones, 4 types) and 20 HostGroups
// (selectors, two levels of children, variables), then, each in a new process as Ansible runs it,
// the compiled CLI as an installed package runs it (dist/cli/main.js, built first when stale):
//   - `inventory --list`: wall time (median of RUNS after a warm-up), the goal is ≤ 1 s;
//   - `inventory export -o F.tgz` and `-o F.zip`: wall time and the process's peak RSS, which the
//     streaming writers keep near what holding the state costs, not the archive's size;
// and the inventory built in-process (buildInventory + ansibleList), the part that is ours; and the
// REST API's /v1/ansible and streamed /v1/inventory/{tenant}.tgz|.zip of the same fleet over HTTP
// (bench/inventory-api-server.ts): wall time, and how far each answer raised the server's peak RSS.
// `-- --hosts N` measures another size; `-- --json` prints the figures as one JSON line at the end.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { API_VERSION, type HostGroup, type Machine } from '../api/index.js';
import { ansibleList, buildInventory } from '../inventory/index.js';
import { openFileStore, type FileStore } from '../runtime/store/file/index.js';

const RUNS = 7;
const NAMESPACE = 'bench';
const IN_FLIGHT = 64;
const ACCOUNTS = ['aws-east', 'gcp-eu', 'do-nyc'];
const REGIONS = ['us-east-1', 'us-west-2', 'europe-west1', 'europe-west4', 'nyc3', 'ams3'];
const TYPES = ['t3.small', 'm5.large', 'e2-standard-2', 's-2vcpu-4gb'];
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));

const { values } = parseArgs({ options: { hosts: { type: 'string', default: '10000' }, json: { type: 'boolean', default: false } } });
const hosts = Number(values.hosts);

function machine(i: number): Machine {
  const region = REGIONS[i % REGIONS.length] as string;
  const zone = `${region}-${'abc'[Math.floor(i / REGIONS.length) % 3] ?? 'a'}`;
  const account = ACCOUNTS[i % ACCOUNTS.length] as string;
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: { name: `node-${String(i).padStart(5, '0')}`, namespace: NAMESPACE, labels: { role: i % 10 === 0 ? 'db' : 'web', shard: String(i % 16), 'polyfleet.io/pool': `pool-${i % 8}` } },
    spec: { pool: `pool-${i % 8}`, provider: account, providerType: 'sim', region, zone, instanceType: TYPES[i % TYPES.length] as string, slot: i, failureDomain: `${account}/${region}/${zone}` },
    status: {
      phase: 'Running',
      instanceId: `i-${i.toString(16).padStart(12, '0')}`,
      addresses: [{ type: 'InternalIP', address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }, ...(i % 2 === 0 ? [{ type: 'ExternalIP' as const, address: `198.51.${(i >> 8) & 255}.${i & 255}` }] : [])],
      hourlyPrice: '0.0416',
    },
  };
}

function hostGroups(): HostGroup[] {
  const group = (name: string, spec: Partial<HostGroup['spec']>): HostGroup => ({ apiVersion: API_VERSION, kind: 'HostGroup', metadata: { name, namespace: NAMESPACE }, spec: { priority: 1, ...spec } });
  const shards = Array.from({ length: 16 }, (_, s) => group(`shard-${s}`, { selector: { matchLabels: { shard: String(s) } }, vars: { shard_id: s, backup_window: `0${s % 6}:00` } }));
  return [
    group('all', { vars: { ntp_server: 'time.example.org', dns: ['10.0.0.2', '10.0.0.3'] } }),
    group('web', { selector: { matchLabels: { role: 'web' } }, children: shards.slice(0, 8).map((s) => s.metadata.name), vars: { http_port: 8080 } }),
    group('db', { selector: { matchLabels: { role: 'db' } }, children: shards.slice(8).map((s) => s.metadata.name), priority: 5, vars: { pg_version: 16 } }),
    group('monitoring', { selector: { matchExpressions: [{ key: 'role', operator: 'Exists' }] }, priority: 10, vars: { node_exporter_port: 9100 } }),
    ...shards,
  ];
}

async function inFlight<T>(items: readonly T[], write: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < items.length) await write(items[next++] as T);
  }));
}

async function writeState(path: string): Promise<void> {
  const store: FileStore = await openFileStore({ path, logger: pino({ level: 'silent' }) });
  try {
    await inFlight(Array.from({ length: hosts }, (_, i) => machine(i)), async (m) => {
      const { status, ...rest } = m;
      const created = await store.create(rest);
      if (status !== undefined) await store.updateStatus({ ...created, status });
    });
    await inFlight(hostGroups(), (g) => store.create(g));
  } finally {
    await store.close();
  }
}

/** Runs `polyfleet ARGS` in a new process that reports its own peak RSS and CPU time on exit; wall ms, RSS bytes and CPU ms. */
function polyfleet(args: readonly string[], cwd: string): { ms: number; cpuMs: number; maxRssBytes: number; stdoutBytes: number } {
  const script = `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nMAXRSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); }); process.argv = [process.argv[0], 'polyfleet', ...${JSON.stringify(args)}]; await import(${JSON.stringify(pathToFileURL(join(repo, 'dist/cli/main.js')).href)});`;
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`polyfleet ${args.join(' ')} exited ${String(r.status)}:\n${r.stderr}`);
  const [, kb, cpuUs] = /MAXRSS (\d+) CPU (\d+)/.exec(r.stderr) ?? [];
  return { ms, cpuMs: Number(cpuUs ?? Number.NaN) / 1000, maxRssBytes: Number(kb ?? Number.NaN) * 1024, stdoutBytes: Buffer.byteLength(r.stdout) };
}

/** The REST API on `state` in its own process: each answer's wall time and the server's peak RSS after it. */
async function apiFigures(state: string) {
  const token = 'bench-token-0123456789abcdef';
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'bench/inventory-api-server.ts'), state, token], { cwd: repo, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  const url = await next();
  const peakRss = async () => {
    child.stdin.write('\n');
    return Number(await next());
  };
  const timed = async (path: string) => {
    const start = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    let bytes = 0;
    for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
    return { ms: Math.round(performance.now() - start), bytes, rss: await peakRss() };
  };
  try {
    await timed('/v1/tenants');
    const apiBaseRssBytes = await peakRss();
    // Bundles first: peak RSS only grows, so each figure is the most any answer so far needed.
    const tgz = await timed(`/v1/inventory/${NAMESPACE}.tgz`);
    const zip = await timed(`/v1/inventory/${NAMESPACE}.zip`);
    const list = await timed(`/v1/ansible/${NAMESPACE}`);
    // Kept until a watch reports a write to the tenant: each answer after the first reuses it.
    const kept = Array.from({ length: RUNS }, () => 0);
    for (let r = 0; r < RUNS; r++) kept[r] = (await timed(`/v1/ansible/${NAMESPACE}`)).ms;
    return { apiBaseRssBytes, apiListMs: list.ms, apiListKeptMedianMs: Math.round(median(kept)), apiListRssBytes: list.rss, apiTgzMs: tgz.ms, apiTgzRssBytes: tgz.rss, apiTgzBytes: tgz.bytes, apiZipMs: zip.ms, apiZipRssBytes: zip.rss, apiZipBytes: zip.bytes };
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const built = spawnSync(process.execPath, [join(repo, 'bin/build.js'), '--if-stale'], { cwd: repo, stdio: ['ignore', 2, 2] });
if (built.status !== 0) throw new Error('npm run build failed');

const dir = mkdtempSync(join(tmpdir(), 'polyfleet-bench-inventory-'));
try {
  const state = join(dir, 'state.jsonl');
  const writeStart = performance.now();
  await writeState(state);
  process.stdout.write(`state: ${hosts.toLocaleString('en')} Running Machines and ${hostGroups().length} HostGroups written in ${((performance.now() - writeStart) / 1000).toFixed(1)} s (${mb(statSync(state).size)})\n`);

  const store = await openFileStore({ path: state, readOnly: true, pollIntervalMs: 0, logger: pino({ level: 'silent' }) });
  const [machines, groups] = [await store.list('Machine', { namespace: NAMESPACE, readOnly: true }), await store.list('HostGroup', { namespace: NAMESPACE, readOnly: true })];
  await store.close();
  const inProcess: number[] = [];
  for (let r = 0; r <= RUNS; r++) {
    const start = performance.now();
    JSON.stringify(ansibleList(buildInventory({ namespace: NAMESPACE, machines, hostGroups: groups })));
    if (r > 0) inProcess.push(performance.now() - start);
  }

  const common = ['--state', state, '-n', NAMESPACE];
  polyfleet(['inventory', '--list', ...common], dir);
  const lists = Array.from({ length: RUNS }, () => polyfleet(['inventory', '--list', ...common], dir));
  const tgz = polyfleet(['inventory', 'export', '-o', join(dir, 'bundle.tgz'), ...common], dir);
  const zip = polyfleet(['inventory', 'export', '-o', join(dir, 'bundle.zip'), ...common], dir);
  const api = await apiFigures(state);
  const figures = {
    hosts,
    ...api,
    listMedianMs: Math.round(median(lists.map((l) => l.ms))),
    listMedianCpuMs: Math.round(median(lists.map((l) => l.cpuMs))),
    listMaxRssBytes: Math.max(...lists.map((l) => l.maxRssBytes)),
    listBytes: lists[0]?.stdoutBytes ?? 0,
    buildAndListInProcessMs: Math.round(median(inProcess)),
    tgzMs: Math.round(tgz.ms),
    tgzMaxRssBytes: tgz.maxRssBytes,
    tgzBytes: statSync(join(dir, 'bundle.tgz')).size,
    zipMs: Math.round(zip.ms),
    zipMaxRssBytes: zip.maxRssBytes,
    zipBytes: statSync(join(dir, 'bundle.zip')).size,
  };
  process.stdout.write(
    [
      `inventory --list (new process, median of ${RUNS}):  ${figures.listMedianMs} ms  (goal ≤ 1000 ms; ${mb(figures.listBytes)} of JSON; peak RSS ${mb(figures.listMaxRssBytes)})`,
      `  CPU time of that process (user + system, median): ${figures.listMedianCpuMs} ms (wall time waits for the CPU on a busy machine; this does not)`,
      `  of which building the inventory and its JSON:   ${figures.buildAndListInProcessMs} ms (in-process, median)`,
      `inventory export -o bundle.tgz:                    ${figures.tgzMs} ms, peak RSS ${mb(figures.tgzMaxRssBytes)}, ${mb(figures.tgzBytes)}`,
      `inventory export -o bundle.zip:                    ${figures.zipMs} ms, peak RSS ${mb(figures.zipMaxRssBytes)}, ${mb(figures.zipBytes)}`,
      `REST API, server peak RSS after start:            ${mb(figures.apiBaseRssBytes)}`,
      `  GET /v1/inventory/${NAMESPACE}.tgz (streamed):     ${figures.apiTgzMs} ms, peak RSS then ${mb(figures.apiTgzRssBytes)}, ${mb(figures.apiTgzBytes)}`,
      `  GET /v1/inventory/${NAMESPACE}.zip (streamed):     ${figures.apiZipMs} ms, peak RSS then ${mb(figures.apiZipRssBytes)}, ${mb(figures.apiZipBytes)}`,
      `  GET /v1/ansible/${NAMESPACE} (first, built):      ${figures.apiListMs} ms, peak RSS then ${mb(figures.apiListRssBytes)}`,
      `  GET /v1/ansible/${NAMESPACE} (again, kept):       ${figures.apiListKeptMedianMs} ms (median of ${RUNS})`,
      '',
    ].join('\n'),
  );
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
