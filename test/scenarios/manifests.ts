import { API_VERSION } from '../../api/index.js';
import { SCENARIO_HARDWARE } from './catalogue-prices.js';

/** A manifest as a user writes it: no namespace (the driver's `-n` or default decides). */
export type Manifest = Readonly<Record<string, unknown>>;

export interface StrategyOptions {
  readonly pick: 'first' | 'random' | 'cheapest' | 'priciest';
  readonly accounts: readonly { readonly name: string; readonly regions?: readonly string[] }[];
  readonly maxHourlyTotal?: string;
}

export function strategy(name: string, o: StrategyOptions): Manifest {
  return {
    apiVersion: API_VERSION,
    kind: 'Strategy',
    metadata: { name },
    spec: {
      pick: o.pick,
      providers: o.accounts.map((a) => ({ name: a.name, type: 'sim', ...(a.regions === undefined ? {} : { regions: a.regions }) })),
      hardware: SCENARIO_HARDWARE,
      software: { os: 'ubuntu-24.04' },
      ...(o.maxHourlyTotal === undefined ? {} : { budget: { maxHourlyTotal: o.maxHourlyTotal } }),
    },
  };
}

/** Every group of 3 on 3 different accounts, each in some zone of it (the quickstart's rule). */
export function spreadOverAccounts(name: string): Manifest {
  return {
    apiVersion: API_VERSION,
    kind: 'PlacementRule',
    metadata: { name },
    spec: {
      failureDomains: ['provider', 'region', 'zone'],
      groupSize: 3,
      steps: [
        { op: 'take', bucket: 'root' },
        { op: 'choose', mode: 'firstn', count: 0, type: 'provider' },
        { op: 'chooseleaf', mode: 'firstn', count: 1, type: 'zone' },
        { op: 'emit' },
      ],
    },
  };
}

export interface PoolOptions {
  readonly replicas: number;
  readonly redundancy?: string;
  readonly strategy: string;
  readonly placementRule?: string;
  readonly dryRun?: boolean;
}

export function nodePool(name: string, o: PoolOptions): Manifest {
  return {
    apiVersion: API_VERSION,
    kind: 'NodePool',
    metadata: { name },
    spec: {
      replicas: o.replicas,
      ...(o.redundancy === undefined ? {} : { redundancy: o.redundancy }),
      strategyRef: { name: o.strategy },
      ...(o.placementRule === undefined ? {} : { placementRuleRef: { name: o.placementRule } }),
      ...(o.dryRun === undefined ? {} : { dryRun: o.dryRun }),
    },
  };
}
