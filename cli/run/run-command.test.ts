import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../testing/cli-process.js';
import { runCommand } from './run-command.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
let dir: string;
let running: BackgroundPolyfleet | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-run-'));
});
afterEach(async () => {
  running?.child.kill('SIGKILL');
  await running?.exited;
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stdout:\n${running?.stdout() ?? ''}\nstderr:\n${running?.stderr() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The /metrics text once it contains `series`. */
async function metricsContaining(url: string, series: string, deadlineMs = 60_000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (text.includes(series)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${series} on ${url}/metrics; last saw:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('polyfleet run', () => {
  it('applies, serves probes, shows another process\'s apply, refuses a second owner, and stops on SIGTERM', async () => {
    running = startPolyfleet(dir, ['run', '-f', join(quickstart, 'strategy.yaml'), '--port', '0', '--sim-dir', join(dir, 'sim')]);
    const proc = running;
    await until('the probe address', () => /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.test(proc.stdout()));
    expect(proc.stdout()).toContain('strategy.polyfleet.io/sim-cheapest created\n');
    // No token file: the inventory API listens on loopback only, and says so.
    expect(proc.stdout()).toMatch(/^serving the inventory API on http:\/\/127\.0\.0\.1:\d+\/v1\/ \(loopback only, no token; --inventory-token-file FILE requires one\)$/m);
    const url = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(proc.stdout())?.[1] ?? '';
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('polyfleet_store_requests_total');
    // The web view on the inventory server, behind its authentication, at the address it prints; nothing of the fleet on the probe port.
    const inventory = /serving the inventory API on (http:\/\/127\.0\.0\.1:\d+)\/v1\//.exec(proc.stdout())?.[1] ?? '';
    expect(proc.stdout()).toContain(`web view: ${inventory}/ui/\n`);
    expect((await fetch(`${inventory}/ui/`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const path of ['/ui/', '/ui/api/snapshot', '/ui/api/events']) expect((await fetch(`${url}${path}`)).status).toBe(404);

    expect(runPolyfleet(dir, ['apply', '-f', quickstart]).status).toBe(0);
    await until('the pool\'s progress line', () => /^\d\d:\d\d:\d\d workers: \d+\/7 running/m.test(proc.stdout()));
    // Every cloud call is counted by op and outcome and timed, from the wrapper createProvider puts on the sim.
    const metrics = await metricsContaining(url, 'polyfleet_provider_requests_total{provider="sim",op="create",code="ok"}');
    expect(metrics).toMatch(/^polyfleet_provider_request_duration_seconds_count\{provider="sim",op="regions"\} [1-9]/m);

    const second = runPolyfleet(dir, ['run', '--port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/polyfleet run: state file .*state\.jsonl is owned by .*another polyfleet controller runs on it/);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toMatch(/stopped\n$/);
  }, 120_000);

  it('fails naming the port when it is taken, and leaves the state unowned', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    let stderr = '';
    try {
      const code = await runCommand.run(['--port', String(port), '--inventory-addr', '127.0.0.1:0', '--state', join(dir, 'state.jsonl')], { stdout: () => {}, stderr: (s) => (stderr += s) });
      expect(code).toBe(1);
    } finally {
      taken.close();
    }
    expect(stderr).toBe(`polyfleet run: cannot serve probes and metrics on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}; pass --port N (0 picks a free port)\n`);
    expect(existsSync(join(dir, 'state.jsonl.owner'))).toBe(false);
  });

  it.each([
    { argv: ['--port', '70000'], message: '--port must be a whole number from 0 to 65535, got "70000"' },
    { argv: ['--log-level', 'loud'], message: '--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"' },
    { argv: ['--log-format', 'yaml'], message: '--log-format must be one of json, text, got "yaml"' },
    { argv: ['--offering-backoff', '45m'], message: '--offering-backoff must be from 1s to 30m, got 2700s' },
    { argv: ['--price-ttl', '200h'], message: '--price-ttl must be from 1s to 168h (7 days), got 720000s' },
    { argv: ['examples'], message: 'unexpected argument "examples"; manifests go after -f' },
    { argv: ['--inventory-addr', 'off', '--sources-dir', 'vars'], message: '--sources-dir is for the inventory API and web view, which --inventory-addr off turns off' },
    { argv: ['--sources-dir', ''], message: '--sources-dir needs a directory' },
    { argv: ['--store', 'etcd://127.0.0.1:1', '--leader-elect-lease-duration', '1s'], message: '--leader-elect-lease-duration must be at least 2s (etcd lengthens shorter leases), got "1s"' },
    { argv: ['--store', 'etcd://127.0.0.1:1', '--leader-elect-lease-duration', '1.5s'], message: '--leader-elect-lease-duration must be a duration such as 90s, 5m or 1h30m, got "1.5s"' },
    { argv: ['--leader-elect-lease-duration', '5s'], message: '--leader-elect-lease-duration is for --store etcd://…: a state file is owned by one `polyfleet run`, not leased' },
  ])('exits 2 on usage: $message', async ({ argv, message }) => {
    let stderr = '';
    const code = await runCommand.run(argv, { stdout: () => {}, stderr: (s) => (stderr += s) });
    expect(code).toBe(2);
    expect(stderr).toContain(`polyfleet run: ${message}`);
  });
});
