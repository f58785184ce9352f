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
