import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPolyfleet, startPolyfleet } from '../testing/cli-process.js';
import { createCommand } from './create-command.js';

const strategyFile = fileURLToPath(new URL('../../examples/quickstart/strategy.yaml', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-create-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function nodeRows(stdout: string): string[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  expect(header).toMatch(/^NODE +ADDRESS +STATUS +PROVIDER +REGION +ZONE$/);
  return rows;
}

describe('polyfleet create', () => {
  it('runs the controllers itself until the nodes run, on the --provider tried first, then prints them', () => {
    const created = runPolyfleet(dir, ['create', '-s', strategyFile, '-n', '2', '--provider', 'sim-b', '--sim-dir', join(dir, 'sim')]);
    expect(created.status).toBe(0);
    expect(created.stderr).toContain('strategy.polyfleet.io/sim-cheapest created\nnodepool.polyfleet.io/sim-cheapest created\n');
    const rows = nodeRows(created.stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^sim-cheapest-[a-z0-9]{5} +198\.\S+ +Running +sim-b /);
  }, 120_000);

  it('only applies and waits while polyfleet run owns the state, scaling the same pool', async () => {
    const run = startPolyfleet(dir, ['run', '--port', '0', '--sim-dir', join(dir, 'sim')]);
    try {
      const deadline = Date.now() + 60_000;
      while (!run.stdout().includes('controllers:') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const scaled = runPolyfleet(dir, ['create', '-s', strategyFile, '-n', '3', '--provider', 'sim-b', '--sim-dir', join(dir, 'elsewhere')]);
      expect(scaled.status).toBe(0);
      expect(scaled.stderr).toContain('nodepool.polyfleet.io/sim-cheapest configured\n');
      expect(nodeRows(scaled.stdout)).toHaveLength(3);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  }, 180_000);

  it('stops waiting on SIGINT, stops its controllers and leaves the pool as it is', async () => {
    const capped = join(dir, 'capped.yaml');
    writeFileSync(capped, readFileSync(strategyFile, 'utf8').replace('name: sim-cheapest', 'name: capped').replace('maxHourlyTotal: "2.00"', 'maxHourlyTotal: "0.05"').replace('maxHourlyPerNode: "0.20"', 'maxHourlyPerNode: "0.05"'));
    const create = startPolyfleet(dir, ['create', '-s', capped, '-n', '3', '--state', join(dir, 'capped.jsonl'), '--sim-dir', join(dir, 'sim')]);
    const deadline = Date.now() + 60_000;
    while (!/capped: \d\/3 running/.test(create.stderr()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    create.child.kill('SIGINT');
    expect(await create.exited).toBe(1);
    expect(create.stderr()).toMatch(/polyfleet create: pool "capped": \d\/3 nodes running when interrupted; the pool stays as it is/);
  }, 120_000);

  describe('stops at once, naming the cause, when waiting cannot help', () => {
    const strategy = (name: string, spec: string) => `apiVersion: polyfleet.io/v1alpha1
kind: Strategy
metadata: {name: ${name}}
spec:
  ${spec}
`;
    const SIM_A = 'providers: [{name: sim-a, type: sim}]';
    const KEYED = 'providers: [{name: sim-a, type: sim, credentials: {apiKey: "${env.PF_TEST_SIM_KEY}"}}]';
    const { PF_TEST_SIM_KEY: _unset, ...env } = process.env;

    it.each([
      {
        name: 'no offering passes the filters',
        spec: `${SIM_A}\n  hardware: {minCPU: 64}`,
        env,
        cause: 'Strategy "NAME" has no offerings: no offering passes every filter: 1 account, 3 regions, 39 offerings, 0 after hardware (waiting will not change that; the pool stays as it is)',
      },
      {
        name: 'credentials refused',
        spec: KEYED,
        env: { ...env, PF_TEST_SIM_KEY: 'stolen-key' },
        cause: 'Strategy "NAME" has no offerings: no provider account of 1 could be read; 1 problem (those accounts are left out): provider account "sim-a": regions was refused: the API key is not a sim key',
      },
      {
        name: 'credentials missing',
        spec: KEYED,
        env,
        cause: 'Strategy "NAME" has no offerings: no provider account of 1 could be read; 1 problem (those accounts are left out): provider account "sim-a": credential "apiKey" refers to environment variable PF_TEST_SIM_KEY, which is not set or empty',
      },
    ])('$name', ({ name, spec, env, cause }) => {
      const pool = name.replaceAll(' ', '-');
      const file = join(dir, `${pool}.yaml`);
      writeFileSync(file, strategy(pool, spec));
      const started = Date.now();
      const r = runPolyfleet(dir, ['create', '-s', file, '-n', '2', '--timeout', '5m', '--state', join(dir, `${pool}.jsonl`), '--sim-dir', join(dir, 'sim')], env);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`polyfleet create: pool "${pool}" cannot get its nodes: ${cause.replace('NAME', pool)}`);
      expect(Date.now() - started).toBeLessThan(60_000);
    }, 90_000);

    it('its warnings meanwhile are one readable line each; JSON objects, errors with stacks, with --log-format json', () => {
      const file = join(dir, 'warned.yaml');
      writeFileSync(file, strategy('warned', KEYED));
      const keyed = { ...env, PF_TEST_SIM_KEY: 'stolen-key' };
      const create = (...flags: string[]) => runPolyfleet(dir, ['create', '-s', file, '-n', '1', '--state', join(dir, `warned${flags.length}.jsonl`), '--sim-dir', join(dir, 'warned-sim'), ...flags], keyed);
      const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.includes('WARN') || l.startsWith('{'));
      const text = create();
      expect(text.status).toBe(1);
      expect(warnings(text.stderr).length).toBeGreaterThan(0);
      for (const line of warnings(text.stderr)) expect(line).toMatch(/^\d\d:\d\d:\d\d WARN {2}[a-z].* controller=[a-z-]+ /);
      expect(text.stderr).toMatch(/ WARN {2}could not list instances for leak collection, nothing collected there this sweep controller=leak-collector .*err="provider account \\"sim-a\\": list was refused/);
      expect(text.stderr).not.toMatch(/\n\s+at /);
      const json = create('--log-format', 'json');
      expect(json.status).toBe(1);
      const records = warnings(json.stderr).map((l) => JSON.parse(l) as { level: number; msg: string; err?: { stack?: string } });
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => r.level === 40)).toBe(true);
      expect(records.find((r) => r.err !== undefined)?.err?.stack).toMatch(/\n\s+at /);
    }, 90_000);

    it('an invalid pool spec', () => {
      const state = join(dir, 'invalid.jsonl');
      const manifests = join(dir, 'invalid-pool.yaml');
      writeFileSync(
        manifests,
        `apiVersion: polyfleet.io/v1alpha1
kind: PlacementRule
metadata: {name: racks}
spec: {failureDomains: [provider, rack], groupSize: 2}
---
apiVersion: polyfleet.io/v1alpha1
kind: NodePool
metadata: {name: invalid}
spec: {replicas: 1, strategyRef: {name: invalid}, placementRuleRef: {name: racks}}
`,
      );
      writeFileSync(join(dir, 'invalid.yaml'), strategy('invalid', SIM_A));
      expect(runPolyfleet(dir, ['apply', '-f', manifests, '--state', state])).toMatchObject({ status: 0 });
      const r = runPolyfleet(dir, ['create', '-s', join(dir, 'invalid.yaml'), '-n', '2', '--timeout', '5m', '--state', state, '--sim-dir', join(dir, 'sim')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('polyfleet create: pool "invalid" cannot get its nodes: its spec is invalid: PlacementRule default/racks: failureDomains[1] "rack" is not a supported level');
    }, 90_000);

    it('but keeps waiting while its accounts are unreachable, which may pass', () => {
      const sim = join(dir, 'unreachable-sim');
      expect(runPolyfleet(dir, ['sim', 'faults', '--dir', sim, '--op', 'regions', '--kind', 'transient', '--rate', '1'])).toMatchObject({ status: 0 });
      writeFileSync(join(dir, 'unreachable.yaml'), strategy('unreachable', SIM_A));
      const started = Date.now();
      const r = runPolyfleet(dir, ['create', '-s', join(dir, 'unreachable.yaml'), '-n', '1', '--timeout', '8s', '--state', join(dir, 'unreachable.jsonl'), '--sim-dir', sim]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('polyfleet create: pool "unreachable": 0/1 nodes running when the --timeout ran out');
      expect(Date.now() - started).toBeGreaterThanOrEqual(8_000);
    }, 90_000);
  });

  it.each([
    { argv: ['-n', '2'], message: 'which strategy? pass -s STRATEGY_FILE' },
    { argv: ['-s', strategyFile], message: 'how many nodes? pass -n N' },
    { argv: ['-s', strategyFile, '-n', 'two'], message: '--nodes must be a whole number from 0 to 10000, got "two"' },
    { argv: ['-s', strategyFile, '-n', '1', '--provider', 'aws'], message: `--provider "aws" is not an account of Strategy "sim-cheapest" in ${strategyFile} (accounts: sim-a, sim-b, sim-c)` },
  ])('exits 2 on usage: $message', async ({ argv, message }) => {
    let stderr = '';
    const code = await createCommand.run([...argv, '--state', join(dir, 'unused.jsonl')], { stdout: () => {}, stderr: (s) => (stderr += s) });
    expect(code).toBe(2);
    expect(stderr).toContain(`polyfleet create: ${message}`);
  });
});
