import type { ProviderAccount, Strategy } from '../../api/index.js';
import type { Instance, Provider } from '../../providers/index.js';
import { TAG_MACHINE, TAG_NAMESPACE } from '../../providers/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { Logger } from '../../runtime/log.js';
import type { ControllerRegistration } from '../../runtime/manager/index.js';
import { DEFAULT_NAMESPACE, listReadOnly } from '../../runtime/store/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import { observerOf } from '../observer/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { findLeaks, type Sightings } from './leaks.js';
import { noLeakMetrics } from './metrics.js';
import type { LeakMetrics } from './metrics.js';

export interface LeakCollectorOptions {
  /**
   * How long an instance must be seen unclaimed before it is deleted: it must outlast a create in
   * flight (the provider may finish a create before the Machine's status records the instance),
   * and a leak is collected only when two listings at least this far apart both found it
   * unclaimed. Default 10 min.
   */
  readonly graceMs?: number;
  /** How often each Strategy's accounts are swept; never longer than the grace. Default 60 s. */
  readonly periodMs?: number;
  readonly metrics?: LeakMetrics;
}

export const LEAK_COLLECTED_REASON = 'LeakedInstanceCollected';
export const LEAK_COLLECTION_PAUSED_REASON = 'LeakCollectionPaused';
export const DEFAULT_LEAK_GRACE_MS = 10 * 60_000;
const DEFAULT_PERIOD_MS = 60_000;

/** One listing the collector makes: an account's instances in one region, or in all of them. */
interface Unit {
  readonly account: ProviderAccount;
  /** Absent: the account names no regions, so every region it has is listed at once. */
  readonly region?: string;
}

interface Listed {
  readonly unit: Unit;
  readonly provider: Provider;
  /** This namespace's instances in the listing. */
  readonly instances: readonly Instance[];
  /** When the listing began: what a sighting's time is (one listing read twice is one sighting). */
  readonly listedAt: Date;
}

/** One sweep of one Strategy. */
interface Sweep {
  readonly deps: ControllerDeps;
  readonly metrics: LeakMetrics;
  readonly log: Logger;
  readonly strategy: Strategy;
  readonly namespace: string;
}

/**
 * The leak collector, keyed by Strategy: every period it lists the instances tagged as this
 * installation's in each of the Strategy's accounts, region by region, and deletes those no Machine
 * claims. It acts only on full knowledge: not while any Machine of the namespace could not be read,
 * only in regions whose listing succeeded, and only for an instance found unclaimed by two
 * listings at least the grace period apart.
 */
export function leakCollector(deps: ControllerDeps, options: LeakCollectorOptions = {}): ControllerRegistration<'Strategy'> {
  const graceMs = options.graceMs ?? DEFAULT_LEAK_GRACE_MS;
  const periodMs = Math.max(1_000, Math.min(options.periodMs ?? DEFAULT_PERIOD_MS, graceMs));
  // Per Strategy and unit, when each unclaimed instance was first seen so. In memory: a restart
  // starts every instance's grace again, which only ever delays a collection.
  const sightings: SweepMemory = new Map();
  return {
    name: 'leak-collector',
    kind: 'Strategy',
    reconcile: (ctx, key) => collectLeaks(deps, { graceMs, periodMs, metrics: options.metrics ?? noLeakMetrics }, sightings, ctx, key),
  };
}

/** Strategy key → listing unit → unclaimed instance id → first seen so. */
type SweepMemory = Map<string, Map<string, Map<string, Sightings>>>;

interface Settings {
  readonly graceMs: number;
  readonly periodMs: number;
  readonly metrics: LeakMetrics;
}

async function collectLeaks(deps: ControllerDeps, settings: Settings, sightings: SweepMemory, ctx: ReconcileContext, key: ObjectKey): Promise<Result> {
  const strategy = await deps.store.get('Strategy', key);
  const strategyKey = `${key.namespace}/${key.name}`;
  if (strategy === undefined) {
    sightings.delete(strategyKey);
    return done;
  }
  const namespace = strategy.metadata.namespace ?? DEFAULT_NAMESPACE;
  const sweep: Sweep = { deps, metrics: settings.metrics, log: ctx.log, strategy, namespace };
  if (standsDown(sweep)) return { requeueAfterMs: settings.periodMs };
  settings.metrics.standingDown(namespace, false);
  // Instances first, Machines second: a Machine created in between has an instance too young to
  // collect, and one deleted in between has already terminated its instance.
  const listed = await listUnits(sweep, await unitsOf(sweep), settings.periodMs);
  const machines = await listReadOnly(deps.store, 'Machine', { namespace });
  const claimed = new Set<string>();
  for (const m of machines) if (m.metadata.uid !== undefined) claimed.add(m.metadata.uid);
  const seen = sightings.get(strategyKey) ?? new Map<string, Map<string, Sightings>>();
  for (const { unit, provider, instances, listedAt } of listed) {
    const unitKey = `${unit.account.name}/${unit.region ?? '*'}`;
    const { leaks, unclaimed } = findLeaks(instances, { managedBy: deps.managedBy, machineUids: claimed, now: listedAt, graceMs: settings.graceMs, seen: seen.get(unitKey) ?? new Map() });
    seen.set(unitKey, unclaimed);
    for (const leak of leaks) await collect(sweep, unit.account, provider, leak);
  }
  sightings.set(strategyKey, seen);
  return { requeueAfterMs: settings.periodMs };
}

/**
 * A Machine the store could not read (a field this version does not understand, a newer version's
 * object) may claim any instance: collecting while one exists could delete a live node.
 */
function standsDown({ deps, metrics, log, strategy, namespace }: Sweep): boolean {
  const unreadable = deps.store.unreadable('Machine', namespace);
  if (unreadable.length === 0) return false;
  const names = unreadable.slice(0, 3).map((u) => `${u.name} (${u.problem})`).join(', ');
  const message = `leak collection in namespace ${namespace} stands down: ${unreadable.length} Machines could not be read (${names}); no instance is collected until every Machine can be`;
  log.warn({ unreadable: unreadable.length }, 'leak collection stands down: unreadable machines');
  metrics.standingDown(namespace, true);
  deps.recorder.record(regarding(strategy, namespace), { type: 'Warning', reason: LEAK_COLLECTION_PAUSED_REASON, action: 'Collect', message });
  return true;
}

/**
 * Each account's regions as the Strategy names them, plus every region a Machine of the namespace
 * was placed in on that account (a region removed from the Strategy may still hold instances).
 */
async function unitsOf({ deps, strategy, namespace }: Sweep): Promise<Unit[]> {
  // Regions in use by account ("type/name"), in one pass over the namespace's Machines.
  const used = new Map<string, Set<string>>();
  for (const m of await listReadOnly(deps.store, 'Machine', { namespace })) {
    const account = `${m.spec.providerType}/${m.spec.provider}`;
    let regions = used.get(account);
    if (regions === undefined) used.set(account, (regions = new Set()));
    regions.add(m.spec.region);
  }
  return strategy.spec.providers.flatMap((account): Unit[] => {
    const named = account.regions ?? [];
    if (named.length === 0) return [{ account }];
    const regions = new Set([...named, ...(used.get(`${account.type}/${account.name}`) ?? [])]);
    return [...regions].sort().map((region) => ({ account, region }));
  });
}

/**
 * Each unit's instances as the installation's shared listing of that account and region shows
 * them (controllers/observer: the Machines of the region read the same one), no older than a
 * period. A unit that cannot be listed (credentials, an outage, one region down, throttling) is
 * skipped: it proves nothing.
 */
async function listUnits({ deps, log, namespace }: Sweep, units: readonly Unit[], periodMs: number): Promise<Listed[]> {
  const listed: Listed[] = [];
  const notBeforeMs = deps.clock.now().getTime() - periodMs + 1;
  for (const unit of units) {
    try {
      const provider = await deps.providers.forAccount(namespace, unit.account);
      const read = await observerOf(deps).read(provider, unit.region, notBeforeMs);
      if (read.kind === 'wait') {
        log.warn({ provider: unit.account.name, region: unit.region, waitMs: read.ms }, 'instance listing throttled, nothing collected there this sweep');
        continue;
      }
      const instances = read.listing.instances.filter((i) => i.tags[TAG_NAMESPACE] === namespace);
      listed.push({ unit, provider, instances, listedAt: read.listing.startedAt });
    } catch (err) {
      log.warn({ provider: unit.account.name, region: unit.region, err }, 'could not list instances for leak collection, nothing collected there this sweep');
    }
  }
  return listed;
}

async function collect({ deps, metrics, log, strategy, namespace }: Sweep, account: ProviderAccount, provider: Provider, leak: Instance): Promise<void> {
  try {
    await provider.delete(leak.id, leak.region);
  } catch (err) {
    log.warn({ provider: account.name, instanceId: leak.id, err }, 'could not delete leaked instance, retrying next sweep');
    return;
  }
  const machineUid = leak.tags[TAG_MACHINE] ?? '';
  log.warn({ provider: account.name, instanceId: leak.id, machineUid, createdAt: leak.createdAt, state: leak.state }, 'collected leaked instance');
  metrics.collected(account.name);
  deps.recorder.record(regarding(strategy, namespace), {
    type: 'Warning',
    reason: LEAK_COLLECTED_REASON,
    action: 'Delete',
    message: `collected leaked instance ${leak.id} of account ${account.name} (${leak.region}/${leak.zone}, ${leak.state}, created ${leak.createdAt}): its Machine ${machineUid} no longer exists`,
  });
}

function regarding(strategy: Strategy, namespace: string) {
  return { kind: 'Strategy' as const, namespace, name: strategy.metadata.name, ...(strategy.metadata.uid === undefined ? {} : { uid: strategy.metadata.uid }) };
}
