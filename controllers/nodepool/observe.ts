// What a pool is placed with: its Strategy's offerings and its PlacementRule compiled over them,
// or why that cannot be had now (a missing reference is a condition, never a crash).

import { effectiveSteps, Reason, type NodePool, type Strategy } from '../../api/index.js';
import { compilePlacement, CrushMapError, PlacementSpecError, type CompiledPlacement, type LeafDomain } from '../../placement/index.js';
import { resolveOfferings, type ResolvedOffering } from '../offerings/index.js';
import { buildLeaves, checkLevels, UnsupportedLevelError, type SupportedLevel } from '../placementrule/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { DEFAULT_LEVELS } from './domains.js';
import type { Blocker } from './status.js';

export interface PlacementWorld {
  readonly kind: 'ready';
  readonly strategy: Strategy;
  readonly offerings: readonly ResolvedOffering[];
  /** Accounts whose catalogue could not be read. */
  readonly problems: readonly string[];
  readonly levels: readonly SupportedLevel[];
  readonly placement?: CompiledPlacement | undefined;
  readonly leaves?: readonly LeafDomain[] | undefined;
}

export type World = PlacementWorld | { readonly kind: 'blocked'; readonly blocker: Blocker };

export async function observeWorld(deps: ControllerDeps, pool: NodePool): Promise<World> {
  const namespace = pool.metadata.namespace ?? 'default';
  const strategyName = pool.spec.strategyRef.name;
  const strategy = await deps.store.get('Strategy', { namespace, name: strategyName });
  if (strategy === undefined) {
    return blocked(Reason.StrategyNotFound, `Strategy ${namespace}/${strategyName} (spec.strategyRef) does not exist`);
  }
  const ruleName = pool.spec.placementRuleRef?.name;
  const rule = ruleName === undefined ? undefined : await deps.store.get('PlacementRule', { namespace, name: ruleName });
  if (ruleName !== undefined && rule === undefined) {
    return blocked(Reason.PlacementRuleNotFound, `PlacementRule ${namespace}/${ruleName} (spec.placementRuleRef) does not exist`);
  }
  const resolved = await resolveOfferings(deps, namespace, strategy);
  const base = { kind: 'ready' as const, strategy, offerings: resolved.offerings, problems: resolved.problems };
  if (rule === undefined) return { ...base, levels: DEFAULT_LEVELS };
  try {
    const levels = checkLevels(rule.spec.failureDomains);
    const leaves = buildLeaves(resolved.offerings, rule.spec);
    // No offering at all leaves nothing to compile; every slot is then simply unplaceable.
    if (leaves.length === 0) return { ...base, levels };
    const placement = compilePlacement({ levels, groupSize: rule.spec.groupSize, steps: effectiveSteps(rule.spec), leaves });
    return { ...base, levels, placement, leaves };
  } catch (err) {
    const where = `PlacementRule ${namespace}/${rule.metadata.name}`;
    if (err instanceof UnsupportedLevelError) return blocked(Reason.UnsupportedLevel, `${where}: ${err.message}`, true);
    if (err instanceof PlacementSpecError || err instanceof CrushMapError) return blocked(Reason.ConstraintError, `${where}: ${err.message}`, true);
    throw err;
  }
}

function blocked(reason: string, message: string, invalidSpec = false): World {
  return { kind: 'blocked', blocker: { reason, message, invalidSpec } };
}
