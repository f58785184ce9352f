import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Offering } from '../../api/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { testStrategy } from '../../runtime/testing/objects.js';
import { createPricesCommand } from './prices-command.js';

let dir: string;
let state: string;
const NOW = new Date('2026-12-01T12:00:00Z');
const command = createPricesCommand({ now: () => NOW });

const offering = (over: Partial<Offering>): Offering => ({
  provider: 'aws-east', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', cpu: 2, memoryGiB: 1, arch: 'amd64', gpu: 0, hourlyPrice: '0.0111', ...over,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-prices-'));
  state = join(dir, 'state.jsonl');
  const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
  const s = await store.create(testStrategy('default', 'cheap'));
  await store.updateStatus({
    ...s,
    status: {
      offerings: [
        offering({ priceSource: 'api', pricedAt: '2026-12-01T11:00:00.000Z' }),
        offering({ zone: 'us-east-1b', priceSource: 'api', pricedAt: '2026-12-01T11:00:00.000Z' }),
        offering({ instanceType: 't3.small', hourlyPrice: '0.0222', priceSource: 'api', pricedAt: '2026-12-01T11:00:00.000Z' }),
        // Spot prices differ by zone: one row per price.
        offering({ instanceType: 't3.small', capacityType: 'spot', hourlyPrice: '0.0071', priceSource: 'api', pricedAt: '2026-12-01T11:30:00.000Z' }),
        offering({ instanceType: 't3.small', capacityType: 'spot', zone: 'us-east-1b', hourlyPrice: '0.0069', priceSource: 'api', pricedAt: '2026-12-01T11:30:00.000Z' }),
        offering({ provider: 'gcp', region: 'us-central1', zone: 'us-central1-a', instanceType: 'e2-small', hourlyPrice: '0.016751', priceSource: 'table', pricedAt: '2026-11-22T00:00:00Z' }),
        offering({ provider: 'do', region: 'nyc3', zone: 'nyc3', instanceType: 's-1vcpu-1gb', hourlyPrice: '0.005', priceSource: 'override' }),
      ],
      conditions: [{ type: 'PricesStale', status: 'True', reason: 'TablePrices', message: 'gcp: 1 offering priced from the table shipped on 2026-11-22 (its pricing API has not answered)', lastTransitionTime: '2026-12-01T11:00:00Z' }],
    },
  });
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command.run([...argv, '--state', state], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('polyfleet prices', () => {
  it("shows each type's price once per region, where it came from and how old it is, and warns of stale prices", async () => {
    const { code, stdout, stderr } = await run();
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(/^STRATEGY +PROVIDER +REGION +INSTANCE TYPE +CAPACITY +PRICE\/H +SOURCE +AGE +ZONES$/),
      expect.stringMatching(/^cheap +aws-east +us-east-1 +t3\.small +spot +0\.0069 +api +30m +us-east-1b$/),
      expect.stringMatching(/^cheap +aws-east +us-east-1 +t3\.small +spot +0\.0071 +api +30m +us-east-1a$/),
      expect.stringMatching(/^cheap +aws-east +us-east-1 +t3\.micro +on-demand +0\.0111 +api +60m +us-east-1a,us-east-1b$/),
      expect.stringMatching(/^cheap +aws-east +us-east-1 +t3\.small +on-demand +0\.0222 +api +60m +us-east-1a$/),
      expect.stringMatching(/^cheap +do +nyc3 +s-1vcpu-1gb +on-demand +0\.005 +override +- +nyc3$/),
      expect.stringMatching(/^cheap +gcp +us-central1 +e2-small +on-demand +0\.016751 +table +9d +us-central1-a$/),
      '',
    ]);
    expect(stderr).toBe('strategy cheap: prices are stale (TablePrices): gcp: 1 offering priced from the table shipped on 2026-11-22 (its pricing API has not answered)\n');
  });

  it('narrows to one provider account and one region', async () => {
    const { stdout } = await run('--provider', 'aws-east', '--region', 'us-east-1');
    expect(stdout.trim().split('\n').slice(1).map((l) => l.split(/ +/)[3])).toEqual(['t3.small', 't3.small', 't3.micro', 't3.small']);
    const none = await run('--region', 'eu-west-1');
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^No offerings with prices found/);
  });

  it('refuses stray arguments with the help', async () => {
    const { code, stderr } = await run('aws');
    expect(code).toBe(2);
    expect(stderr).toContain('polyfleet prices: unexpected arguments: aws');
  });
});
