import { expect } from '@jest/globals';
import type { FaultRule } from '../../providers/sim/index.js';
import { microsToMoney, moneyToMicros, type Machine, type NodePool } from '../../api/index.js';
import { byPrice, headOf, pricedPlaces, type PricedPlace } from './catalogue-prices.js';
import { nodePool, spreadOverAccounts, strategy, type Manifest } from './manifests.js';

/** What a driver reads back of one pool, whatever the backend. */
export interface PoolView {
  readonly pool: NodePool | undefined;
  readonly machines: readonly Machine[];
}

export interface ScenarioStep {
  /** Failure rules to add first, as `polyfleet sim faults` flags. */
  readonly faults?: readonly (readonly string[])[];
  /** Many rules at once, written to the sim dir's faults.json in one go. */
  readonly faultRules?: readonly FaultRule[];
  readonly manifests: readonly Manifest[];
  /** When the pool has settled (polled with a deadline; never a timing). */
  readonly settled: (view: PoolView) => boolean;
  /** The assertions, once settled. */
  readonly verify: (view: PoolView) => void;
  /** Says what settled waits for, for the timeout message. */
  readonly awaiting: string;
}

export interface Scenario {
  readonly name: string;
  /** The NodePool's name; every other object and account in the scenario is prefixed with it. */
  readonly pool: string;
  readonly steps: readonly ScenarioStep[];
}

/**
 * The behaviour matrix, backend-neutral: every driver (file store through the CLI, the
 * real API server through kubectl) runs each scenario against one controller. Accounts are named
 * per scenario, so a fault rule scoped to one account touches no other scenario.
 */
export async function buildScenarios(simDir: string): Promise<Scenario[]> {
  return [
    countScenario('r21', 2, '2:1', 4),
    countScenario('plus2', 3, '+2', 5),
    await pickScenario('cheap', 'cheapest', simDir),
    await pickScenario('pricy', 'priciest', simDir),
    firstScenario(),
    await fallbackScenario(simDir),
    spreadScenario(),
    await budgetScenario(simDir),
    randomDryRunScenario(),
  ];
}

export function readyCondition(pool: NodePool | undefined): string | undefined {
  return pool?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

export function allRunning(view: PoolView, count: number): boolean {
  return (
    readyCondition(view.pool) === 'True' &&
    view.machines.length === count &&
    view.machines.every((m) => m.status?.phase === 'Running' && m.metadata.deletionTimestamp === undefined)
  );
}

function accounts(prefix: string, n: number): string[] {
  return ['a', 'b', 'c'].slice(0, n).map((s) => `${prefix}-${s}`);
}

function countScenario(pool: string, replicas: number, redundancy: string, desired: number): Scenario {
  return {
    name: `redundancy "${redundancy}" of ${replicas} replicas runs ${desired} Machines`,
    pool,
    steps: [{
      manifests: [strategy(pool, { pick: 'cheapest', accounts: [{ name: `${pool}-a` }] }), nodePool(pool, { replicas, redundancy, strategy: pool })],
      awaiting: `${desired} Machines Running`,
      settled: (v) => allRunning(v, desired),
      verify: (v) => {
        expect(v.pool?.status?.desiredReplicas).toBe(desired);
        expect(v.machines.map((m) => m.spec.slot).sort((a, b) => a - b)).toEqual([...Array(desired).keys()]);
      },
    }],
  };
}

function expectOn(machines: readonly Machine[], place: PricedPlace): void {
  for (const m of machines) {
    expect({ provider: m.spec.provider, region: m.spec.region, instanceType: m.spec.instanceType, price: moneyToMicros(m.status?.hourlyPrice ?? '0') })
      .toEqual({ provider: place.account, region: place.region, instanceType: place.instanceType, price: moneyToMicros(place.hourlyPrice) });
  }
}

async function pickScenario(pool: string, pick: 'cheapest' | 'priciest', simDir: string): Promise<Scenario> {
  const names = accounts(pool, 3);
  const expected = headOf(byPrice(await pricedPlaces(simDir, names), pick === 'cheapest' ? 1 : -1), 'place for 2 vCPU');
  return {
    name: `${pick} puts every Machine on the ${pick} place of the catalogue (${expected.account}/${expected.region} at $${expected.hourlyPrice}/h)`,
    pool,
    steps: [{
      manifests: [strategy(pool, { pick, accounts: names.map((name) => ({ name })) }), nodePool(pool, { replicas: 2, strategy: pool })],
      awaiting: '2 Machines Running',
      settled: (v) => allRunning(v, 2),
      verify: (v) => { expectOn(v.machines, expected); },
    }],
  };
}

function firstScenario(): Scenario {
  const pool = 'first';
  // Listed b before a and eu-central before na-east: `first` follows the Strategy, not names or prices.
  const manifests = [
    strategy(pool, { pick: 'first', accounts: [{ name: `${pool}-b`, regions: ['eu-central', 'na-east'] }, { name: `${pool}-a` }] }),
    nodePool(pool, { replicas: 2, strategy: pool }),
  ];
  return {
    name: 'first puts every Machine on the first account, region and zone the Strategy lists',
    pool,
    steps: [{
      manifests,
      awaiting: '2 Machines Running',
      settled: (v) => allRunning(v, 2),
      verify: (v) => {
        for (const m of v.machines) expect([m.spec.provider, m.spec.region, m.spec.zone]).toEqual([`${pool}-b`, 'eu-central', 'eu-central-a']);
      },
    }],
  };
}

async function fallbackScenario(simDir: string): Promise<Scenario> {
  const pool = 'fallback';
  const names = accounts(pool, 3);
  const ranked = byPrice(await pricedPlaces(simDir, names));
  const firstChoice = headOf(ranked, 'place for 2 vCPU');
  // Every zone of the first choice's region fails; the next choice is the next place elsewhere.
  const next = headOf(ranked.filter((p) => p.account !== firstChoice.account || p.region !== firstChoice.region), 'second place');
  return {
    name: `a capacity error on the cheapest place (${firstChoice.account}/${firstChoice.region}) falls back to the next (${next.account}/${next.region})`,
    pool,
    steps: [{
      faults: [['--op', 'create', '--kind', 'capacity', '--rate', '1', '--account', firstChoice.account, '--region', firstChoice.region]],
      manifests: [strategy(pool, { pick: 'cheapest', accounts: names.map((name) => ({ name })) }), nodePool(pool, { replicas: 1, strategy: pool })],
      awaiting: '1 Machine Running',
      settled: (v) => allRunning(v, 1),
      verify: (v) => { expectOn(v.machines, next); },
    }],
  };
}

function spreadScenario(): Scenario {
  const pool = 'spread';
  const names = accounts(pool, 3);
  return {
    name: 'a PlacementRule over 3 accounts puts every group of 3 on 3 different accounts',
    pool,
    steps: [{
      manifests: [
        strategy(pool, { pick: 'cheapest', accounts: names.map((name) => ({ name })) }),
        spreadOverAccounts(pool),
        nodePool(pool, { replicas: 6, strategy: pool, placementRule: pool }),
      ],
      awaiting: '6 Machines Running',
      settled: (v) => allRunning(v, 6),
      verify: (v) => {
        const groups = [0, 1].map((g) => v.machines.filter((m) => Math.floor(m.spec.slot / 3) === g).map((m) => m.spec.provider).sort());
        expect(groups).toEqual([names, names]);
      },
    }],
  };
}

async function budgetScenario(simDir: string): Promise<Scenario> {
  const pool = 'budget';
  const account = `${pool}-a`;
  const cheapest = headOf(byPrice(await pricedPlaces(simDir, [account])), 'place for 2 vCPU');
  // Room for 3 nodes and not a 4th.
  const cap = microsToMoney(moneyToMicros(cheapest.hourlyPrice) * 3 + moneyToMicros(cheapest.hourlyPrice) / 2);
  return {
    name: `a budget cap of $${cap}/h stops creation at 3 of 5 Machines with BudgetExceeded`,
    pool,
    steps: [{
      manifests: [strategy(pool, { pick: 'cheapest', accounts: [{ name: account }], maxHourlyTotal: cap }), nodePool(pool, { replicas: 5, strategy: pool })],
      awaiting: '3 Machines Running and BudgetExceeded True',
      settled: (v) =>
        v.machines.length === 3 &&
        v.machines.every((m) => m.status?.phase === 'Running') &&
        v.pool?.status?.conditions?.some((c) => c.type === 'BudgetExceeded' && c.status === 'True') === true,
      verify: (v) => {
        expect(v.machines.map((m) => m.spec.slot).sort()).toEqual([0, 1, 2]);
        expect(v.pool?.status?.conditions?.find((c) => c.type === 'Ready')?.status).not.toBe('True');
      },
    }],
  };
}

function randomDryRunScenario(): Scenario {
  const pool = 'random';
  const names = accounts(pool, 3);
  const picks = strategy(pool, { pick: 'random', accounts: names.map((name) => ({ name })) });
  let plan: string[] = [];
  const placeOf = (p: { provider?: string; region?: string; zone?: string; instanceType?: string }): string =>
    [p.provider, p.region, p.zone, p.instanceType].join('/');
  return {
    name: 'dryRun creates nothing and fills status.plan; random then creates each slot where the plan said (seeded by the pool)',
    pool,
    steps: [
      {
        manifests: [picks, nodePool(pool, { replicas: 4, strategy: pool, dryRun: true })],
        awaiting: 'a plan of 4 slots',
        settled: (v) => v.pool?.status?.plan?.length === 4,
        verify: (v) => {
          expect(v.machines).toEqual([]);
          const slots = [...(v.pool?.status?.plan ?? [])].sort((a, b) => a.slot - b.slot);
          for (const s of slots) expect(s).toMatchObject({ provider: expect.stringMatching(`^${pool}-`), instanceType: 'sim.small', hourlyPrice: expect.any(String) });
          plan = slots.map(placeOf);
        },
      },
      {
        manifests: [nodePool(pool, { replicas: 4, strategy: pool, dryRun: false })],
        awaiting: '4 Machines Running',
        settled: (v) => allRunning(v, 4),
        verify: (v) => {
          expect([...v.machines].sort((a, b) => a.spec.slot - b.spec.slot).map((m) => placeOf(m.spec))).toEqual(plan);
        },
      },
    ],
  };
}
