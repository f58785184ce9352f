import { stringify } from 'yaml';

/** The quickstart's three sim accounts, shared by both installations of the chaos run. */
export const ACCOUNTS = ['sim-a', 'sim-b', 'sim-c'] as const;
/** Every region of the default sim catalogue, cheapest first: the pools start in the first. */
export const ALL_REGIONS = ['na-east', 'eu-central', 'ap-northeast'] as const;
/** One name for the Strategy and the pool in both installations: only the managed-by tag tells them apart. */
export const STRATEGY = 'sim-cheapest';
export const POOL = 'workers';
export const NAMESPACE = 'default';

/** What the chaos run varies per pool. */
export interface PoolShape {
  readonly replicas: number;
  /** remediation.maxUnhealthy, e.g. "50%". */
  readonly maxUnhealthy: string;
  readonly maxUnavailable: number;
}

/** Spare Machines on top of replicas ("+1" redundancy, as the quickstart). */
export const SPARES = 1;

/** The Machines a pool of `replicas` wants. */
export function desiredMachines(replicas: number): number {
  return replicas + SPARES;
}

/** The quickstart Strategy with every account limited to `regions`, so a region can be taken away. */
export function strategyYaml(regions: readonly string[]): string {
  return stringify({
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'Strategy',
    metadata: { name: STRATEGY },
    spec: {
      pick: 'cheapest',
      providers: ACCOUNTS.map((name) => ({ name, type: 'sim', regions: [...regions] })),
      hardware: { minCPU: 2, minMemoryGiB: 4, arch: ['amd64'] },
      software: { os: 'ubuntu-24.04' },
      budget: { maxHourlyPerNode: '0.20', maxHourlyTotal: '3.00' },
    },
  });
}

/** The quickstart's rule: every group of 3 nodes on 3 different accounts. */
export function placementRuleYaml(): string {
  return stringify({
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'PlacementRule',
    metadata: { name: 'across-providers' },
    spec: {
      failureDomains: ['provider', 'region', 'zone'],
      groupSize: 3,
      weighting: 'equal',
      steps: [
        { op: 'take', bucket: 'root' },
        { op: 'choose', mode: 'firstn', count: 0, type: 'provider' },
        { op: 'chooseleaf', mode: 'firstn', count: 1, type: 'zone' },
        { op: 'emit' },
      ],
    },
  });
}

/**
 * The pool, with a remediation window of 60 s (the API's minimum): long enough for maxUnhealthy to
 * bite when stops and dying instances come in bursts, short enough that a paused pool resumes
 * within the run's convergence bound.
 */
export function nodePoolYaml(shape: PoolShape): string {
  return stringify({
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'NodePool',
    metadata: { name: POOL },
    spec: {
      replicas: shape.replicas,
      redundancy: `+${SPARES.toString()}`,
      strategyRef: { name: STRATEGY },
      placementRuleRef: { name: 'across-providers' },
      template: { labels: { role: 'worker' } },
      disruption: { maxUnavailable: shape.maxUnavailable },
      remediation: { maxUnhealthy: shape.maxUnhealthy, windowSeconds: 60 },
    },
  });
}
