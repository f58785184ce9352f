// Offerings, placements and Machines for the pure planning tests.

import { API_VERSION, ANNOTATION_HOURLY_PRICE, effectiveSteps, type Machine, type MachineStatus, type PlacementRuleSpec } from '../../api/index.js';
import { compilePlacement, type CompiledPlacement, type LeafDomain } from '../../placement/index.js';
import type { ResolvedOffering } from '../offerings/types.js';
import { buildLeaves, checkLevels } from '../placementrule/index.js';
import type { PlanInput } from './plan.js';

export const POOL_UID = 'pool-uid-1';

/** Accounts × zones × types, ranked by price then place (what resolveOfferings' `cheapest` would hand over). */
export function offerings(accounts = ['sim-a', 'sim-b', 'sim-c'], zones = ['z1', 'z2'], types: Record<string, string> = { t1: '0.01', t2: '0.02' }): ResolvedOffering[] {
  const all = accounts.flatMap((provider) =>
    zones.flatMap((zone) =>
      Object.entries(types).map(([instanceType, hourlyPrice]) => ({
        provider,
        providerType: 'sim' as const,
        region: 'r1',
        zone,
        instanceType,
        cpu: 2,
        memoryGiB: 4,
        arch: 'amd64' as const,
        gpu: 0,
        hourlyPrice,
        image: 'img-1',
        rank: 0,
      })),
    ),
  );
  return all.map((o, rank) => ({ ...o, rank }));
}

export function ruleSpec(overrides: Partial<PlacementRuleSpec> = {}): PlacementRuleSpec {
  return { failureDomains: ['provider', 'region', 'zone'], groupSize: 1, weighting: 'equal', ...overrides };
}

export function compiled(offers: readonly ResolvedOffering[], spec: PlacementRuleSpec): { placement: CompiledPlacement; leaves: LeafDomain[] } {
  const leaves = buildLeaves(offers, spec);
  const placement = compilePlacement({ levels: spec.failureDomains, groupSize: spec.groupSize, steps: effectiveSteps(spec), leaves });
  return { placement, leaves };
}

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    poolUid: POOL_UID,
    spec: { replicas: 3, redundancy: '1:1', disruption: { maxUnavailable: 1 } },
    pick: 'cheapest',
    offerings: offerings(),
    levels: checkLevels(['provider', 'region', 'zone']),
    isOut: () => false,
    machines: [],
    ...overrides,
  };
}

export function ruledInput(spec: PlacementRuleSpec, overrides: Partial<PlanInput> = {}): PlanInput {
  const offers = overrides.offerings ?? offerings();
  const { placement, leaves } = compiled(offers, spec);
  return planInput({ offerings: offers, placement, leaves, levels: checkLevels(spec.failureDomains), ...overrides });
}

export interface MachineOptions {
  readonly phase?: MachineStatus['phase'];
  readonly provider?: string;
  readonly zone?: string;
  readonly createdAt?: string;
  readonly price?: string;
  readonly deleting?: boolean;
  /** With a phase: the instance the Machine had (a Failed one without was refused at create). */
  readonly instanceId?: string;
}

export function machine(name: string, slot: number, o: MachineOptions = {}): Machine {
  const provider = o.provider ?? 'sim-a';
  const zone = o.zone ?? 'z1';
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: o.createdAt ?? '2026-01-01T00:00:00Z',
      annotations: { [ANNOTATION_HOURLY_PRICE]: o.price ?? '0.01' },
      ...(o.deleting === true ? { deletionTimestamp: '2026-01-01T01:00:00Z' } : {}),
    },
    spec: { pool: 'workers', provider, providerType: 'sim', region: 'r1', zone, instanceType: 't1', slot, failureDomain: `${provider}/r1/${zone}` },
    ...(o.phase === undefined ? {} : { status: { phase: o.phase, ...(o.instanceId === undefined ? {} : { instanceId: o.instanceId }) } }),
  };
}
