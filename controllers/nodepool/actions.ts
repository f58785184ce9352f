// The plan's writes: deletes first (highest slot first), then creates in slot order (batches of
// growing size, slowStartBatches), each reported.

import { Reason, type NodePool, type ProviderAccount } from '../../api/index.js';
import type { ReconcileContext } from '../../runtime/controller/index.js';
import { isAlreadyExists, isNotFound, keyOf } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { recordPoolEvent, slots } from './events.js';
import type { PlannedDelete } from './existing-machines.js';
import { newMachine } from './machine-object.js';
import type { PlannedCreate, PoolPlan } from './plan.js';

/** Name clashes are rare (36^5 names per pool); a few fresh draws settle any. */
const NAME_ATTEMPTS = 5;

export interface ActionDeps extends ControllerDeps {
  readonly suffix: () => string;
}

/**
 * Crash-safe by construction: every write is one Machine, and the next reconcile lists the pool's
 * Machines (the store reads its own writes) before planning, so a slot filled before a crash is
 * never filled again, and a scale-down cut short resumes where it stopped.
 */
export async function applyPlan(deps: ActionDeps, ctx: ReconcileContext, pool: NodePool, plan: PoolPlan, accounts: readonly ProviderAccount[]): Promise<void> {
  await deleteMachines(deps, ctx, pool, plan.deletes);
  await createMachines(deps, ctx, pool, plan.creates, accounts);
}

async function deleteMachines(deps: ActionDeps, ctx: ReconcileContext, pool: NodePool, deletes: readonly PlannedDelete[]): Promise<void> {
  for (const { machine, reason } of deletes) {
    // A process that lost leadership (or is shutting down) must not write on: another leads now.
    ctx.signal.throwIfAborted();
    try {
      await deps.store.delete('Machine', keyOf(machine), machine.metadata.uid === undefined ? {} : { uid: machine.metadata.uid });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    ctx.log.info({ machine: machine.metadata.name, slot: machine.spec.slot, reason }, 'deleted machine');
  }
  const scaleDowns = deletes.filter((d) => d.reason === 'scaleDown');
  const replaced = deletes.filter((d) => d.reason !== 'scaleDown');
  if (scaleDowns.length > 0) {
    recordPoolEvent(deps, pool, 'Normal', Reason.ScalingDown, 'Delete', `deleted ${scaleDowns.length} Machines (slots ${slots(scaleDowns.map((d) => d.machine.spec.slot))})`);
  }
  if (replaced.length > 0) {
    const why = replaced.map((d) => `${d.machine.metadata.name} (slot ${d.machine.spec.slot}, ${d.reason})`).join(', ');
    recordPoolEvent(deps, pool, 'Normal', Reason.Replacing, 'Delete', `deleted ${replaced.length} Machines to replace them: ${why}`);
  }
}

/**
 * Kubernetes' ReplicaSet slow start: creates go in batches of 1, 2, 4, … up to this many at once,
 * so a persistent failure (quota, an admission webhook) costs one write, not a thousand, while a
 * large scale-out keeps many writes in flight: the file store commits them with one fsync, the
 * API server answers them in parallel. One at a time, 1,000 Machines took 4 s of fsyncs alone.
 */
export const MAX_CREATES_IN_FLIGHT = 32;

type SlotOutcome = { readonly slot: number; readonly ok: true } | { readonly slot: number; readonly ok: false; readonly error: unknown };

async function createMachines(deps: ActionDeps, ctx: ReconcileContext, pool: NodePool, creates: readonly PlannedCreate[], accounts: readonly ProviderAccount[]): Promise<void> {
  const done: number[] = [];
  try {
    for (const batch of slowStartBatches(creates, MAX_CREATES_IN_FLIGHT)) {
      ctx.signal.throwIfAborted();
      const outcomes = await Promise.all(batch.map((create) => createLogged(deps, ctx, pool, create, accounts)));
      for (const outcome of outcomes) if (outcome.ok) done.push(outcome.slot);
      const failed = outcomes.find((outcome): outcome is Extract<SlotOutcome, { ok: false }> => !outcome.ok);
      if (failed !== undefined) {
        if (!ctx.signal.aborted) {
          const message = `creating the Machine of slot ${failed.slot} failed: ${failed.error instanceof Error ? failed.error.message : String(failed.error)}`;
          recordPoolEvent(deps, pool, 'Warning', Reason.ScalingFailed, 'Create', message);
        }
        throw failed.error;
      }
    }
  } finally {
    if (done.length > 0) recordPoolEvent(deps, pool, 'Normal', Reason.ScalingUp, 'Create', `created ${done.length} Machines (slots ${slots(done)})`);
  }
}

/** `items` cut into consecutive batches of 1, 2, 4, … at most `max` long. */
export function* slowStartBatches<T>(items: readonly T[], max: number): Generator<readonly T[]> {
  let size = 1;
  for (let start = 0; start < items.length; start += size, size = Math.min(size * 2, max)) {
    yield items.slice(start, start + size);
  }
}

async function createLogged(deps: ActionDeps, ctx: ReconcileContext, pool: NodePool, create: PlannedCreate, accounts: readonly ProviderAccount[]): Promise<SlotOutcome> {
  try {
    const account = accounts.find((a) => a.name === create.offering.provider && a.type === create.offering.providerType);
    const name = await createOne(deps, pool, create, account);
    ctx.log.info({ machine: name, slot: create.slot, domain: create.domain, instanceType: create.offering.instanceType }, 'created machine');
    return { slot: create.slot, ok: true };
  } catch (error) {
    return { slot: create.slot, ok: false, error };
  }
}

async function createOne(deps: ActionDeps, pool: NodePool, create: PlannedCreate, account: ProviderAccount | undefined): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const machine = newMachine(pool, create, deps.suffix(), account);
    try {
      await deps.store.create(machine);
      return machine.metadata.name;
    } catch (err) {
      if (!isAlreadyExists(err) || attempt >= NAME_ATTEMPTS) throw err;
    }
  }
}
