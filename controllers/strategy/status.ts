import { ConditionType, Reason } from '../../api/index.js';
import type { Condition, Offering, Strategy, StrategySpec, StrategyStatus } from '../../api/index.js';
import type { OfferingFunnel, ResolvedOffering, ResolvedOfferings } from '../offerings/index.js';
import { findCondition, setCondition, type NewCondition } from '../shared/index.js';
import { priceCacheOf } from './price-cache.js';
import { pricesStale } from './prices-stale.js';

/** How many offerings status.offerings shows (the API's bound). */
export const STATUS_OFFERINGS = 50;

/** The status a Strategy should have for what it resolved to; pure, so a reconcile writes it only if it differs. */
export function strategyStatus(strategy: Strategy, resolved: ResolvedOfferings, now: Date, priceTtlMs?: number): StrategyStatus {
  const generation = strategy.metadata.generation ?? 0;
  const count = resolved.offerings.length;
  const note = problemsNote(resolved.problems);
  const ready =
    count > 0
      ? { type: ConditionType.Ready, status: 'True' as const, reason: Reason.OfferingsResolved, message: `${resolvedMessage(resolved.offerings)}${note}` }
      : { type: ConditionType.Ready, status: 'False' as const, reason: Reason.NoOfferings, message: `${noOfferingsMessage(strategy.spec, resolved)}${note}` };
  const none =
    count > 0
      ? { type: ConditionType.NoOfferings, status: 'False' as const, reason: Reason.OfferingsResolved, message: `${count} acceptable offerings` }
      : { type: ConditionType.NoOfferings, status: 'True' as const, reason: Reason.NoOfferings, message: ready.message };
  const previous = strategy.status?.conditions;
  const conditions = [ready, none, accountsReadable(strategy.spec, resolved), pricesStale(resolved.offerings, now, priceTtlMs)].reduce<Condition[]>((list, c) => setCondition(list, c, generation, now), previous ?? []);
  const priceCache = priceCacheOf(resolved.offerings, strategy.status?.priceCache ?? [], strategy.spec);
  return {
    observedGeneration: generation,
    offeringCount: count,
    ...(resolved.funnel === undefined ? {} : { funnel: { ...resolved.funnel } }),
    offerings: resolved.offerings.slice(0, STATUS_OFFERINGS).map(toApiOffering),
    ...(priceCache.length === 0 ? {} : { priceCache }),
    conditions,
  };
}

/** True when the Strategy just went from having offerings (or no status) to having none. */
export function becameEmpty(before: StrategyStatus | undefined, after: StrategyStatus): boolean {
  return findCondition(before?.conditions, ConditionType.NoOfferings)?.status !== 'True' && findCondition(after.conditions, ConditionType.NoOfferings)?.status === 'True';
}

function toApiOffering({ providerType: _type, rank: _rank, ...offering }: ResolvedOffering): Offering {
  return offering;
}

function resolvedMessage(offerings: readonly ResolvedOffering[]): string {
  const accounts = new Set(offerings.map((o) => o.provider)).size;
  const best = offerings[0];
  const bestText = best === undefined ? '' : `; best: ${best.provider}/${best.region}/${best.zone} ${best.instanceType} at ${best.hourlyPrice}/h`;
  return `${offerings.length} offerings from ${accounts} account${accounts === 1 ? '' : 's'}${bestText}`;
}

function noOfferingsMessage(spec: StrategySpec, resolved: ResolvedOfferings): string {
  const funnel = resolved.funnel;
  if (funnel === undefined || funnel.accounts === 0) return `no provider account of ${spec.providers.length} could be read`;
  return `no offering passes every filter: ${describeFunnel(funnel, spec)}`;
}

/** Each filter stage with what survived it, e.g. "3 accounts, 18 offerings, 6 after hardware, 0 after maxHourlyPerNode 0.001". */
export function describeFunnel(funnel: OfferingFunnel, spec: StrategySpec): string {
  const stages = [
    `${funnel.accounts} account${funnel.accounts === 1 ? '' : 's'}`,
    `${funnel.regions} region${funnel.regions === 1 ? '' : 's'}${spec.geolocation === undefined ? '' : ' after geolocation'}`,
    `${funnel.catalogue} offerings`,
    `${funnel.hardware} after hardware`,
    `${funnel.software} after software ${spec.software.os}`,
  ];
  const perNode = spec.budget?.maxHourlyPerNode;
  if (perNode !== undefined) stages.push(`${funnel.budget} after maxHourlyPerNode ${perNode}`);
  // Stop at the first stage that left nothing: the later ones only repeat the 0.
  const emptied = [funnel.regions, funnel.catalogue, funnel.hardware, funnel.software, funnel.budget].findIndex((n) => n === 0);
  return (emptied === -1 ? stages : stages.slice(0, emptied + 2)).join(', ');
}

/**
 * Whether every account could be read, and if not, whether waiting can help: an account that may
 * come back (throttled, unreachable) makes AccountsUnreachable; otherwise credentials missing or
 * refused make CredentialsFailed, and the rest (an unknown type, regions not offered, a rejected
 * request) AccountsMisconfigured. `polyfleet create` stops waiting on the last two.
 */
function accountsReadable(spec: StrategySpec, { problems, problemCauses = [] }: ResolvedOfferings): NewCondition {
  const type = ConditionType.AccountsReadable;
  if (problems.length === 0) {
    const n = spec.providers.length;
    return { type, status: 'True', reason: Reason.AllAccountsRead, message: `${n} account${n === 1 ? '' : 's'} read` };
  }
  const reason =
    problemCauses.length < problems.length || problemCauses.includes('transient')
      ? Reason.AccountsUnreachable
      : problemCauses.includes('credentials')
        ? Reason.CredentialsFailed
        : Reason.AccountsMisconfigured;
  return { type, status: 'False', reason, message: problems.join('; ') };
}

function problemsNote(problems: readonly string[]): string {
  if (problems.length === 0) return '';
  return `; ${problems.length} problem${problems.length === 1 ? '' : 's'} (those accounts are left out): ${problems.join('; ')}`;
}
