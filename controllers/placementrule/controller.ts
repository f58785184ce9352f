import { isDeepStrictEqual } from 'node:util';
import { ConditionType } from '../../api/index.js';
import type { PlacementRule } from '../../api/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import { resolveOfferings } from '../offerings/index.js';
import type { ResolvedOffering } from '../offerings/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { findCondition } from '../shared/index.js';
import { compileRule, syntheticLeaves } from './compile.js';
import { buildLeaves } from './leaves.js';
import { findRuleUsers } from './rule-users.js';
import type { RuleUsers } from './rule-users.js';
import { becameInvalid, placementRuleStatus } from './status.js';
import type { RuleOutcome } from './status.js';

/** Catalogues change without any object changing; Strategy status writes usually bring the rule round sooner. */
export const PLACEMENT_RULE_RESYNC_MS = 10 * 60_000;

/** Validates and compiles the rule over its pools' Strategies' domains; writes status once, only if changed. */
export async function reconcilePlacementRule(deps: ControllerDeps, ctx: ReconcileContext, key: ObjectKey): Promise<Result> {
  const rule = await deps.store.get('PlacementRule', key);
  if (rule === undefined || rule.metadata.deletionTimestamp !== undefined) return done;
  const outcome = await ruleOutcome(deps, key, rule);
  const status = placementRuleStatus(rule, outcome, deps.clock.now());
  if (!isDeepStrictEqual(rule.status, status)) {
    await deps.store.updateStatus({ ...structuredClone(rule), status });
    ctx.log.info({ outcome: outcome.kind, domainCount: status.domainCount }, 'compiled placement rule');
  }
  if (becameInvalid(rule.status, status)) {
    deps.recorder.record(
      { kind: 'PlacementRule', namespace: key.namespace, name: key.name, ...(rule.metadata.uid === undefined ? {} : { uid: rule.metadata.uid }) },
      { type: 'Warning', reason: ConditionType.InvalidSpec, action: 'Compile', message: findCondition(status.conditions, ConditionType.InvalidSpec)?.message ?? 'invalid rule' },
    );
  }
  return { requeueAfterMs: PLACEMENT_RULE_RESYNC_MS };
}

/**
 * The rule is first checked on made-up domains, so a spec mistake shows whether or not a pool
 * uses it; then compiled over the real domains of the Strategies its pools use.
 */
async function ruleOutcome(deps: ControllerDeps, key: ObjectKey, rule: PlacementRule): Promise<RuleOutcome> {
  const check = compileRule(rule.spec, syntheticLeaves(rule.spec));
  if (check.kind === 'invalid') return check;
  const users = await findRuleUsers(deps.store, key);
  if (users.pools.length === 0) return { kind: 'unused' };
  const { offerings, problems } = await usersOfferings(deps, key.namespace, users);
  const leaves = buildLeaves(offerings, rule.spec);
  if (leaves.length === 0) return { kind: 'compiled', leaves, users, problems };
  const compiled = compileRule(rule.spec, leaves);
  return compiled.kind === 'invalid' ? compiled : { kind: 'compiled', leaves, users, problems };
}

/** The Strategies' offerings, each (account, region, zone, type) once, and their problems naming the Strategy. */
async function usersOfferings(deps: ControllerDeps, namespace: string, users: RuleUsers): Promise<{ offerings: ResolvedOffering[]; problems: string[] }> {
  const resolved = await Promise.all(users.strategies.map((s) => resolveOfferings(deps, namespace, s)));
  const unique = new Map<string, ResolvedOffering>();
  for (const o of resolved.flatMap((r) => r.offerings)) unique.set(`${o.provider}/${o.region}/${o.zone}/${o.instanceType}`, o);
  const problems = resolved.flatMap((r, i) => r.problems.map((p) => `Strategy "${users.strategies[i]?.metadata.name ?? '?'}": ${p}`));
  return { offerings: [...unique.values()], problems };
}
