import { capacityTypesOf } from '../../api/index.js';
import type { ProviderAccount, StrategySpec } from '../../api/index.js';
import { isProviderError, ProviderUnavailableError } from '../../providers/index.js';
import type { Provider, ProviderOffering, RegionInfo } from '../../providers/index.js';
import { CredentialsError, type ControllerDeps } from '../shared/index.js';
import { createOfferingCatalog } from './catalog.js';
import type { OfferingCatalog } from './catalog.js';
import { accountRegions, explicitImage, fitsHardware, inGeolocation, withinNodeBudget } from './filters.js';
import { rankOfferings } from './order.js';
import type { Candidate } from './order.js';
import type { OfferingFunnel, ProblemCause, ResolvedOfferings } from './types.js';

/**
 * Every acceptable offering of a Strategy — catalogue ∩ hardware ∩ software ∩ geolocation ∩
 * budget.maxHourlyPerNode — ranked by `pick` (controllers/README.md "Offerings"). An account whose
 * provider cannot be built or whose calls fail lands in `problems`, naming it; the others resolve.
 * Errors other than a provider's are bugs and are thrown.
 */
export async function resolveOfferings(deps: ControllerDeps, namespace: string, strategy: { readonly spec: StrategySpec }): Promise<ResolvedOfferings> {
  const scope: Scope = { deps, catalog: catalogOf(deps), namespace, spec: strategy.spec };
  const accounts = await Promise.all(strategy.spec.providers.map((account, i) => resolveAccount(scope, account, i)));
  const funnel: OfferingFunnel = {
    accounts: accounts.filter((a) => a.readable).length,
    regions: sum(accounts.map((a) => a.regions)),
    catalogue: sum(accounts.map((a) => a.counts.catalogue)),
    hardware: sum(accounts.map((a) => a.counts.hardware)),
    software: sum(accounts.map((a) => a.counts.software)),
    budget: sum(accounts.map((a) => a.counts.budget)),
  };
  return {
    offerings: rankOfferings(accounts.flatMap((a) => a.candidates), strategy.spec.pick),
    problems: accounts.flatMap((a) => a.problems.map((p) => p.message)),
    problemCauses: accounts.flatMap((a) => a.problems.map((p) => p.cause)),
    funnel,
  };
}

const fallbackCatalogs = new WeakMap<ControllerDeps, OfferingCatalog>();

/** deps.catalog, or one kept per deps object so callers that built no catalog still share one. */
function catalogOf(deps: ControllerDeps): OfferingCatalog {
  if (deps.catalog !== undefined) return deps.catalog;
  let catalog = fallbackCatalogs.get(deps);
  if (catalog === undefined) {
    catalog = createOfferingCatalog(deps.clock);
    fallbackCatalogs.set(deps, catalog);
  }
  return catalog;
}

interface Scope {
  readonly deps: ControllerDeps;
  readonly catalog: OfferingCatalog;
  readonly namespace: string;
  readonly spec: StrategySpec;
}

interface StageCounts {
  readonly catalogue: number;
  readonly hardware: number;
  readonly software: number;
  readonly budget: number;
}

interface Problem {
  readonly message: string;
  readonly cause: ProblemCause;
}

interface AccountResult {
  readonly readable: boolean;
  readonly regions: number;
  readonly counts: StageCounts;
  readonly candidates: Candidate[];
  readonly problems: Problem[];
}

const NO_COUNTS: StageCounts = { catalogue: 0, hardware: 0, software: 0, budget: 0 };

async function resolveAccount(scope: Scope, account: ProviderAccount, accountIndex: number): Promise<AccountResult> {
  const unreadable = (err: unknown): AccountResult => ({ readable: false, regions: 0, counts: NO_COUNTS, candidates: [], problems: [problemOf(account, err)] });
  let provider: Provider;
  let offered: RegionInfo[];
  try {
    provider = await scope.deps.providers.forAccount(scope.namespace, account);
  } catch (err) {
    // A missing Secret or an adapter this build lacks: the operator fixes it, the other accounts go on.
    return unreadable(err);
  }
  try {
    offered = await scope.catalog.regions(provider);
  } catch (err) {
    if (!isProviderError(err)) throw err;
    return unreadable(err);
  }
  const { regions, missing } = accountRegions(account, offered);
  const problems = missing.length === 0 ? [] : [missingRegionsProblem(account, missing, offered)];
  const usable = regions.filter((r) => inGeolocation(r, scope.spec.geolocation));
  const perRegion = await Promise.all(usable.map((region, regionIndex) => resolveRegion(scope, { account, accountIndex, provider }, region, regionIndex)));
  return {
    readable: true,
    regions: usable.length,
    counts: {
      catalogue: sum(perRegion.map((r) => r.counts.catalogue)),
      hardware: sum(perRegion.map((r) => r.counts.hardware)),
      software: sum(perRegion.map((r) => r.counts.software)),
      budget: sum(perRegion.map((r) => r.counts.budget)),
    },
    candidates: perRegion.flatMap((r) => r.candidates),
    problems: [...problems, ...perRegion.flatMap((r) => r.problems)],
  };
}

interface AccountRef {
  readonly account: ProviderAccount;
  readonly accountIndex: number;
  readonly provider: Provider;
}

interface RegionResult {
  readonly counts: StageCounts;
  readonly candidates: Candidate[];
  readonly problems: Problem[];
}

async function resolveRegion(scope: Scope, ref: AccountRef, region: RegionInfo, regionIndex: number): Promise<RegionResult> {
  const { spec, catalog } = scope;
  try {
    const capacityTypes = capacityTypesOf(spec);
    const bought = (await catalog.offerings(ref.provider, region.name)).filter((o) => capacityTypes.includes(o.capacityType ?? 'on-demand'));
    const zoned = bought.flatMap((o) => o.zones.map((zone) => ({ offering: o, zone })));
    const fit = zoned.filter((z) => fitsHardware(z.offering, spec.hardware));
    const image = fit.length === 0 ? undefined : (explicitImage(spec.software, ref.account.name, region.name) ?? (await catalog.image(ref.provider, region.name, spec.software.os)));
    const withImage = image === undefined ? [] : fit;
    const affordable = withImage.filter((z) => withinNodeBudget(z.offering.hourlyPrice, spec.budget?.maxHourlyPerNode));
    const candidates = affordable.map(({ offering, zone }) => candidate(ref, region, regionIndex, offering, zone, image ?? ''));
    return { counts: { catalogue: zoned.length, hardware: fit.length, software: withImage.length, budget: affordable.length }, candidates, problems: [] };
  } catch (err) {
    if (!isProviderError(err)) throw err;
    return { counts: NO_COUNTS, candidates: [], problems: [problemOf(ref.account, err)] };
  }
}

function candidate(ref: AccountRef, region: RegionInfo, regionIndex: number, o: ProviderOffering, zone: string, image: string): Candidate {
  const zoneIndex = region.zones.indexOf(zone);
  return {
    provider: ref.account.name,
    providerType: ref.account.type,
    region: region.name,
    zone,
    instanceType: o.instanceType,
    cpu: o.cpu,
    memoryGiB: o.memoryGiB,
    arch: o.arch,
    gpu: o.gpu.count,
    hourlyPrice: o.hourlyPrice,
    ...(o.capacityType === 'spot' ? { capacityType: 'spot' as const } : {}),
    ...(o.priceSource === undefined ? {} : { priceSource: o.priceSource }),
    ...(o.pricedAt === undefined ? {} : { pricedAt: o.pricedAt }),
    image,
    accountIndex: ref.accountIndex,
    regionIndex,
    zoneIndex: zoneIndex === -1 ? region.zones.length : zoneIndex,
  };
}

/** Provider errors and ProviderUnavailableError already name the account; anything else gets it in front. */
function problemOf(account: ProviderAccount, err: unknown): Problem {
  const message = err instanceof Error ? err.message : String(err);
  return { message: message.includes(`"${account.name}"`) ? message : `provider account "${account.name}": ${message}`, cause: causeOf(err) };
}

function causeOf(err: unknown): ProblemCause {
  if (err instanceof CredentialsError) return 'credentials';
  if (err instanceof ProviderUnavailableError) return 'config';
  if (!isProviderError(err)) return 'transient';
  switch (err.kind) {
    case 'auth':
      return 'credentials';
    case 'invalidRequest':
      return 'config';
    case 'capacity':
    case 'quota':
    case 'throttled':
    case 'transient':
      return 'transient';
  }
}

function missingRegionsProblem(account: ProviderAccount, missing: readonly string[], offered: readonly RegionInfo[]): Problem {
  const list = missing.map((r) => `"${r}"`).join(', ');
  return {
    message: `provider account "${account.name}": regions ${list} are not offered by the account (it offers ${offered.map((r) => r.name).join(', ')}); check the Strategy's providers[].regions`,
    cause: 'config',
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
