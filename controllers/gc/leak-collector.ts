import type { ProviderAccount, Strategy } from '../../api/index.js';
import type { Instance, Provider } from '../../providers/index.js';
import { TAG_MACHINE } from '../../providers/index.js';
import { done } from '../../runtime/controller/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { Logger } from '../../runtime/log.js';
import type { ControllerRegistration } from '../../runtime/manager/index.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { findLeaks } from './leaks.js';
import { noLeakMetrics } from './metrics.js';
import type { LeakMetrics } from './metrics.js';

export interface LeakCollectorOptions {
  /**
   * How old an orphaned instance must be before it is deleted. It must outlast a create in flight:
   * the provider may finish a create before the Machine's status records the instance. Default 10 min.
   */
  readonly graceMs?: number;
  /** How often each Strategy's accounts are swept. Default 60 s. */
  readonly periodMs?: number;
  readonly metrics?: LeakMetrics;
}

export const LEAK_COLLECTED_REASON = 'LeakedInstanceCollected';
const DEFAULT_GRACE_MS = 10 * 60_000;
const DEFAULT_PERIOD_MS = 60_000;

/** One sweep of one Strategy. */
interface Sweep {
  readonly deps: ControllerDeps;
  readonly metrics: LeakMetrics;
  readonly log: Logger;
  readonly strategy: Strategy;
  readonly namespace: string;
}

interface AccountInstances {
  readonly account: ProviderAccount;
  readonly provider: Provider;
  readonly instances: readonly Instance[];
}

/**
 * The leak collector, keyed by Strategy: every minute it lists the instances tagged as ours in each
 * of the Strategy's accounts and deletes those whose Machine no longer exists.
 */
export function leakCollector(deps: ControllerDeps, options: LeakCollectorOptions = {}): ControllerRegistration<'Strategy'> {
  return { name: 'leak-collector', kind: 'Strategy', reconcile: (ctx, key) => collectLeaks(deps, options, ctx, key) };
}

async function collectLeaks(deps: ControllerDeps, options: LeakCollectorOptions, ctx: ReconcileContext, key: ObjectKey): Promise<Result> {
  const strategy = await deps.store.get('Strategy', key);
  if (strategy === undefined) return done;
  const sweep: Sweep = { deps, metrics: options.metrics ?? noLeakMetrics, log: ctx.log, strategy, namespace: strategy.metadata.namespace ?? DEFAULT_NAMESPACE };
  // Instances first, Machines second: a Machine created in between has an instance too young to
  // collect, and one deleted in between has already terminated its instance.
  const listed = await listAccounts(sweep);
  if (listed.some((a) => a.instances.length > 0)) {
    const machines = await deps.store.list('Machine', { namespace: sweep.namespace });
    const machineUids = new Set(machines.flatMap((m) => (m.metadata.uid === undefined ? [] : [m.metadata.uid])));
    const criteria = { managedBy: deps.managedBy, machineUids, now: deps.clock.now(), graceMs: options.graceMs ?? DEFAULT_GRACE_MS };
    for (const { account, provider, instances } of listed) {
      for (const leak of findLeaks(instances, criteria)) await collect(sweep, account, provider, leak);
    }
  }
  return { requeueAfterMs: options.periodMs ?? DEFAULT_PERIOD_MS };
}

/** One account that cannot be listed (credentials, outage) must not keep the others from being swept. */
async function listAccounts({ deps, log, strategy, namespace }: Sweep): Promise<AccountInstances[]> {
  const listed: AccountInstances[] = [];
  for (const account of strategy.spec.providers) {
    try {
      const provider = await deps.providers.forAccount(namespace, account);
      listed.push({ account, provider, instances: await provider.list({ managedBy: deps.managedBy, namespace }) });
    } catch (err) {
      log.warn({ provider: account.name, err }, 'could not list instances for leak collection, retrying next sweep');
    }
  }
  return listed;
}

async function collect({ deps, metrics, log, strategy, namespace }: Sweep, account: ProviderAccount, provider: Provider, leak: Instance): Promise<void> {
  try {
    await provider.delete(leak.id);
  } catch (err) {
    log.warn({ provider: account.name, instanceId: leak.id, err }, 'could not delete leaked instance, retrying next sweep');
    return;
  }
  const machineUid = leak.tags[TAG_MACHINE] ?? '';
  log.warn({ provider: account.name, instanceId: leak.id, machineUid, createdAt: leak.createdAt }, 'collected leaked instance');
  metrics.collected(account.name);
  deps.recorder.record(
    { kind: 'Strategy', namespace, name: strategy.metadata.name, ...(strategy.metadata.uid === undefined ? {} : { uid: strategy.metadata.uid }) },
    {
      type: 'Warning',
      reason: LEAK_COLLECTED_REASON,
      action: 'Delete',
      message: `collected leaked instance ${leak.id} of account ${account.name} (${leak.region}/${leak.zone}, created ${leak.createdAt}): its Machine ${machineUid} no longer exists`,
    },
  );
}
