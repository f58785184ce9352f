import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, parseKind } from '../../api/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { writePoolState } from '../testing/pool-state.js';
import { describeCommand } from './describe-command.js';

let dir: string;
let state: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-describe-'));
  state = join(dir, 'state.jsonl');
  await writePoolState(state);
  const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
  const strategy = await store.get('Strategy', { namespace: 'default', name: 'cheap' });
  if (strategy === undefined) throw new Error('writePoolState wrote no Strategy "cheap"');
  const offering = { provider: 'aws-east', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', cpu: 2, memoryGiB: 1, arch: 'amd64' as const, gpu: 0, hourlyPrice: '0.0111' };
  await store.updateStatus({
    ...strategy,
    status: {
      offeringCount: 80,
      offerings: [
        { ...offering, priceSource: 'table', pricedAt: '2026-11-22T00:00:00Z' },
        { ...offering, instanceType: 't3.small', hourlyPrice: '0.02', priceSource: 'override' },
      ],
      conditions: [{ type: 'PricesStale', status: 'True', reason: 'TablePrices', message: 'aws-east: 1 offering priced from the table shipped on 2026-11-22 (its pricing API has not answered)', lastTransitionTime: '2026-12-01T00:00:00Z' }],
    },
  });
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(command: typeof describeCommand, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('polyfleet describe nodepool', () => {
  it('shows spec, conditions, machines with their placement, and events', async () => {
    const { code, stdout } = await run(describeCommand, 'nodepool', 'workers', '--state', state);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Name: +workers$/m);
    expect(stdout).toMatch(/^Strategy: +cheap$/m);
    expect(stdout).toMatch(/^Machines: +1 ready of 2$/m);
    expect(stdout).toMatch(/^ {2}Ready +False +MachinesNotReady +1\/2 running$/m);
    expect(stdout).toMatch(/^ {2}workers-abcde +0 +Running +\S+ +\S+ +\$0\.05 +i-123$/m);
    expect(stdout).toContain('      placement: slot 0 → sim-a/r1/r1a; picked s1 at $0.05/h\n');
    expect(stdout).toMatch(/^ {2}workers-fghij +1 +Pending /m);
    expect(stdout).toMatch(/^ {2}Normal +ScalingUp +\d+s +creating 2 Machines$/m);
  });

  it("shows a dryRun pool's plan with how each node would be bought", async () => {
    const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
    try {
      const parsed = parseKind('NodePool', { apiVersion: API_VERSION, kind: 'NodePool', metadata: { name: 'planned', namespace: 'default' }, spec: { replicas: 2, strategyRef: { name: 'cheap' }, dryRun: true } });
      if (!parsed.ok) throw new Error('the test NodePool is invalid');
      const created = await store.create({ ...parsed.value, kind: 'NodePool' });
      const node = { domain: 'sim-a/r1/r1a', provider: 'sim-a', region: 'r1', zone: 'r1a', instanceType: 's1' };
      const plan = [
        { ...node, slot: 0, capacityType: 'spot' as const, hourlyPrice: '0.02', explanation: 'picked s1 (spot) at $0.02/h' },
        { ...node, slot: 1, capacityType: 'on-demand' as const, hourlyPrice: '0.05', explanation: 'picked s1 at $0.05/h' },
      ];
      await store.updateStatus({ ...created, status: { plan } });
    } finally {
      await store.close();
    }
    const { code, stdout } = await run(describeCommand, 'nodepool', 'planned', '--state', state);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}SLOT +DOMAIN +TYPE +CAPACITY +PRICE\/H +EXPLANATION$/m);
    expect(stdout).toMatch(/^ {2}0 +sim-a\/r1\/r1a +s1 +spot +\$0\.02 +picked s1 \(spot\) at \$0\.02\/h$/m);
    expect(stdout).toMatch(/^ {2}1 +sim-a\/r1\/r1a +s1 +on-demand +\$0\.05 +picked s1 at \$0\.05\/h$/m);
  });

  it("shows a Strategy's conditions and every offering's price with its source and age", async () => {
    const { code, stdout } = await run(describeCommand, 'strategy', 'cheap', '--state', state);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Offerings: +80 acceptable, the best 2 below$/m);
    expect(stdout).toMatch(/^ {2}PricesStale +True +TablePrices +aws-east: 1 offering priced from the table shipped on 2026-11-22/m);
    expect(stdout).toMatch(/^ {2}PROVIDER +REGION +INSTANCE TYPE +CAPACITY +PRICE\/H +SOURCE +AGE +ZONES$/m);
    expect(stdout).toMatch(/^ {2}aws-east +us-east-1 +t3\.micro +on-demand +0\.0111 +table +\d+d +us-east-1a$/m);
    expect(stdout).toMatch(/^ {2}aws-east +us-east-1 +t3\.small +on-demand +0\.02 +override +- +us-east-1a$/m);
  });

  it.each([
    { argv: ['nodepool', 'nope'], code: 1, message: 'nodepools "nope" not found in namespace "default"' },
    { argv: ['machine', 'x'], code: 2, message: 'describe shows nodepools and strategies only, got "machine"' },
    { argv: ['strategy', 'nope'], code: 1, message: 'strategies "nope" not found in namespace "default"' },
    { argv: ['nodepool'], code: 2, message: 'which pool? e.g. polyfleet describe nodepool workers' },
  ])('exits $code: $message', async ({ argv, code, message }) => {
    const result = await run(describeCommand, ...argv, '--state', state);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(`polyfleet describe: ${message}`);
  });
});
