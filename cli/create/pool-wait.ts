// How `polyfleet create` waits for its pool: until every desired node runs, the --timeout passes,
// a signal comes, or the pool's or its Strategy's status says waiting cannot help.

import { ConditionType, desiredMachineCount, Reason, type Condition, type Machine, type NodePool, type Strategy } from '../../api/index.js';
import type { StandaloneStore } from '../shared/state.js';
import { isConflict, type ObjectKey } from '../../runtime/store/index.js';
import type { CommandIo } from '../command.js';
import { ProgressPrinter } from '../run/progress-printer.js';
import { CommandFailure } from '../shared/command-runner.js';
import { pollUntil } from '../shared/wait.js';

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Aborted by SIGINT or SIGTERM: stop waiting, stop the controllers gracefully, leave the pool as it is. */
  readonly signal: AbortSignal;
  readonly io: CommandIo;
}

/** The conditions `hopeless` reads, per kind. */
const VERDICTS = { Strategy: [ConditionType.NoOfferings, ConditionType.AccountsReadable], NodePool: [ConditionType.InvalidSpec] } as const;

/** AccountsReadable=False reasons that waiting cannot fix (AccountsUnreachable may pass). */
const PERMANENT: readonly string[] = [Reason.CredentialsFailed, Reason.AccountsMisconfigured];

/**
 * Why the pool cannot get its nodes however long one waits, or undefined while it may: its spec
 * is invalid (InvalidSpec), or its Strategy has no offering and every account was either read (a
 * filter removed everything) or refused for its credentials or configuration — not merely
 * unreachable, throttled or out of capacity, which pass. Only conditions of the objects' current
 * generation count.
 */
export function hopeless(pool: NodePool, strategy: Strategy | undefined): string | undefined {
  const invalid = current(pool, ConditionType.InvalidSpec);
  if (invalid?.status === 'True') return `its spec is invalid: ${invalid.message}`;
  if (strategy === undefined) return undefined;
  const none = current(strategy, ConditionType.NoOfferings);
  const readable = current(strategy, ConditionType.AccountsReadable);
  if (none?.status !== 'True' || readable === undefined) return undefined;
  if (readable.status !== 'True' && !PERMANENT.includes(readable.reason)) return undefined;
  return `Strategy "${strategy.metadata.name}" has no offerings: ${none.message}`;
}

function current(object: NodePool | Strategy, type: string): Condition | undefined {
  const c = object.status?.conditions?.find((x) => x.type === type);
  return c !== undefined && c.observedGeneration === object.metadata.generation ? c : undefined;
}

/**
 * Drops the verdicts `hopeless` reads from the pool's and the Strategy's status, for a process
 * that is about to run the controllers itself: they were written by an earlier process, maybe
 * with other credentials or before a fix, and its own controllers write them afresh at once.
 */
export async function forgetVerdicts(store: StandaloneStore, key: ObjectKey): Promise<void> {
  for (const kind of ['Strategy', 'NodePool'] as const) {
    const types: readonly string[] = VERDICTS[kind];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const object = await store.get(kind, key);
      const conditions = object?.status?.conditions;
      if (object?.status === undefined || conditions === undefined || !conditions.some((c) => types.includes(c.type))) break;
      try {
        await store.updateStatus({ ...object, status: { ...object.status, conditions: conditions.filter((c) => !types.includes(c.type)) } });
        break;
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  }
}

/** Until every one of the pool's desired Machines runs and no other is left; progress on stderr. */
export async function waitForPool(store: StandaloneStore, key: ObjectKey, { timeoutMs, signal, io }: WaitOptions): Promise<Machine[]> {
  const printer = new ProgressPrinter(store, (line) => {
    io.stderr(`${line}\n`);
  });
  let pool: NodePool | undefined;
  let machines: Machine[] = [];
  let outcome: { kind: 'ready'; machines: Machine[] } | { kind: 'hopeless'; why: string } | undefined;
  try {
    outcome = await pollUntil(
      async () => {
        await store.refresh();
        pool = await store.get('NodePool', key);
        machines = (await store.list('Machine', { namespace: key.namespace })).filter((m) => m.spec.pool === key.name);
        if (pool === undefined) return undefined;
        if (converged(pool, machines)) return { kind: 'ready' as const, machines };
        const why = hopeless(pool, await store.get('Strategy', { namespace: key.namespace, name: pool.spec.strategyRef.name }));
        return why === undefined ? undefined : { kind: 'hopeless' as const, why };
      },
      { timeoutMs, signal },
    );
  } finally {
    printer.stop();
  }
  if (outcome?.kind === 'ready') return outcome.machines.sort((a, b) => a.spec.slot - b.spec.slot);
  if (outcome?.kind === 'hopeless') throw new CommandFailure(`pool "${key.name}" cannot get its nodes: ${outcome.why} (waiting will not change that; the pool stays as it is)`);
  const running = machines.filter((m) => m.status?.phase === 'Running').length;
  const desired = pool === undefined ? '?' : String(desiredMachineCount(pool.spec.replicas, pool.spec.redundancy));
  const why = signal.aborted ? 'interrupted' : 'the --timeout ran out';
  throw new CommandFailure(`pool "${key.name}": ${running}/${desired} nodes running when ${why}; the pool stays as it is (see polyfleet describe nodepool ${key.name})`);
}

function converged(pool: NodePool, machines: readonly Machine[]): boolean {
  const desired = desiredMachineCount(pool.spec.replicas, pool.spec.redundancy);
  return machines.length === desired && machines.every((m) => m.metadata.deletionTimestamp === undefined && m.status?.phase === 'Running');
}
