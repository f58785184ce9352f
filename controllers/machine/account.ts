import type { Machine, NodePool, ProviderAccount, Strategy } from '../../api/index.js';
import type { Provider } from '../../providers/index.js';
import { getReadOnly, listReadOnly, type ReadonlyDeep } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { namespaceOf } from './scope.js';

/**
 * Where a Machine's instance lives: the provider of its Strategy account, and what it was found
 * through. The pool and Strategy are the store's own, read-only: every Machine reconcile looks them
 * up, and a copy of a Strategy (with its 50 best offerings in status) each time was a quarter of a
 * scale-out's CPU.
 */
export interface MachineTarget {
  readonly provider: Provider;
  readonly account: ProviderAccount;
  readonly strategy: ReadonlyDeep<Strategy>;
  /** Absent only for a deleting Machine whose pool is already gone. */
  readonly pool?: ReadonlyDeep<NodePool>;
}

export type TargetLookup = { readonly found: true; readonly target: MachineTarget } | { readonly found: false; readonly problem: string };

/**
 * The Machine's provider account: spec.provider in the Strategy its pool names. A deleting Machine
 * whose pool is gone (removed by hand, say) still needs its instance terminated, so it falls back to
 * any Strategy in the namespace with an account of that name and type.
 */
export async function findTarget(deps: ControllerDeps, machine: Machine, deleting: boolean): Promise<TargetLookup> {
  const namespace = namespaceOf(machine);
  const { provider: accountName, providerType, pool: poolName } = machine.spec;
  const pool = await getReadOnly(deps.store, 'NodePool', { namespace, name: poolName });
  if (pool !== undefined) {
    const strategyName = pool.spec.strategyRef.name;
    const strategy = await getReadOnly(deps.store, 'Strategy', { namespace, name: strategyName });
    const account = strategy?.spec.providers.find((p) => p.name === accountName && p.type === providerType);
    if (strategy !== undefined && account !== undefined) return found(deps, namespace, account, strategy, pool);
    if (!deleting) {
      const problem = strategy === undefined
        ? `Strategy ${namespace}/${strategyName} of NodePool ${poolName} does not exist`
        : `Strategy ${namespace}/${strategyName} has no ${providerType} account "${accountName}"`;
      return { found: false, problem };
    }
  } else if (!deleting) {
    return { found: false, problem: `NodePool ${namespace}/${poolName} does not exist` };
  }
  for (const strategy of await listReadOnly(deps.store, 'Strategy', { namespace })) {
    const account = strategy.spec.providers.find((p) => p.name === accountName && p.type === providerType);
    if (account !== undefined) return found(deps, namespace, account, strategy, pool);
  }
  return { found: false, problem: `no Strategy in namespace ${namespace} has a ${providerType} account "${accountName}"` };
}

async function found(
  deps: ControllerDeps,
  namespace: string,
  stored: ReadonlyDeep<ProviderAccount>,
  strategy: ReadonlyDeep<Strategy>,
  pool: ReadonlyDeep<NodePool> | undefined,
): Promise<TargetLookup> {
  // The account alone is copied: it goes on to the resolver, which owns what it is given.
  const account = structuredClone(stored) as ProviderAccount;
  const provider = await deps.providers.forAccount(namespace, account);
  return { found: true, target: { provider, account, strategy, ...(pool === undefined ? {} : { pool }) } };
}
