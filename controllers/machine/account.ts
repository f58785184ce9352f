import { Reason, type Machine, type MachineProviderAccount, type NodePool, type ProviderAccount, type Strategy } from '../../api/index.js';
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
  /** Absent when the account came from the Machine's own record of it (its Strategy no longer has it). */
  readonly strategy?: ReadonlyDeep<Strategy>;
  /** Absent only for a deleting Machine whose pool is already gone. */
  readonly pool?: ReadonlyDeep<NodePool>;
}

/** Why a Machine's account cannot be had now; `reason` is an api Reason for its condition. */
export interface MissingAccount {
  readonly reason: string;
  readonly problem: string;
}

export type TargetLookup = { readonly found: true; readonly target: MachineTarget } | ({ readonly found: false } & MissingAccount);

/**
 * The Machine's provider account as its Strategy has it now: spec.provider in the Strategy its
 * pool names. Not found is never a reason to fail the Machine: a Strategy deleted and re-created by
 * GitOps, or an account renamed, is absent for a moment, and the fleet must outlive that moment.
 */
export async function findCurrentTarget(deps: ControllerDeps, machine: Machine): Promise<TargetLookup> {
  const namespace = namespaceOf(machine);
  const { provider: accountName, providerType, pool: poolName } = machine.spec;
  const pool = await getReadOnly(deps.store, 'NodePool', { namespace, name: poolName });
  if (pool === undefined) return missing(Reason.ProviderAccountNotFound, `NodePool ${namespace}/${poolName} does not exist`);
  const strategyName = pool.spec.strategyRef.name;
  const strategy = await getReadOnly(deps.store, 'Strategy', { namespace, name: strategyName });
  if (strategy === undefined) return missing(Reason.StrategyNotFound, `Strategy ${namespace}/${strategyName} of NodePool ${poolName} does not exist`);
  const account = strategy.spec.providers.find((p) => p.name === accountName && p.type === providerType);
  if (account === undefined) {
    return missing(Reason.ProviderAccountRemoved, `Strategy ${namespace}/${strategyName} has no ${providerType} account "${accountName}" any more`);
  }
  return found(deps, namespace, account, strategy, pool);
}

/**
 * For a deleting Machine, whatever can still reach its instance: the current account; else the
 * account as it was when the Machine was made (spec.providerAccount: an account removed from the
 * Strategy, or a Strategy deleted, still has instances to terminate); else, for a Machine made
 * before that record existed, any Strategy of the namespace with an account of that name and type.
 */
export async function findTargetForDeletion(deps: ControllerDeps, machine: Machine): Promise<TargetLookup> {
  const current = await findCurrentTarget(deps, machine);
  if (current.found) return current;
  const namespace = namespaceOf(machine);
  const pool = await getReadOnly(deps.store, 'NodePool', { namespace, name: machine.spec.pool });
  const recorded = machine.spec.providerAccount;
  if (recorded !== undefined && recorded.name === machine.spec.provider && recorded.type === machine.spec.providerType) {
    return found(deps, namespace, recorded, undefined, pool);
  }
  const { provider: accountName, providerType } = machine.spec;
  for (const strategy of await listReadOnly(deps.store, 'Strategy', { namespace })) {
    const account = strategy.spec.providers.find((p) => p.name === accountName && p.type === providerType);
    if (account !== undefined) return found(deps, namespace, account, strategy, pool);
  }
  return missing(Reason.ProviderAccountNotFound, `${current.problem}, no Strategy in namespace ${namespace} has a ${providerType} account "${accountName}", and the Machine holds no record of it`);
}

function missing(reason: string, problem: string): TargetLookup {
  return { found: false, reason, problem };
}

async function found(
  deps: ControllerDeps,
  namespace: string,
  stored: ReadonlyDeep<ProviderAccount> | MachineProviderAccount,
  strategy: ReadonlyDeep<Strategy> | undefined,
  pool: ReadonlyDeep<NodePool> | undefined,
): Promise<TargetLookup> {
  // The account alone is copied: it goes on to the resolver, which owns what it is given.
  const account = structuredClone(stored) as ProviderAccount;
  const provider = await deps.providers.forAccount(namespace, account);
  return { found: true, target: { provider, account, ...(strategy === undefined ? {} : { strategy }), ...(pool === undefined ? {} : { pool }) } };
}
