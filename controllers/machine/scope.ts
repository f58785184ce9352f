import type { Machine, MachineStatus } from '../../api/index.js';
import type { Logger } from '../../runtime/log.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';

/**
 * One reconcile of one Machine: the object as stored, and the status the phases build in memory.
 * Phases edit `status` only; it is written once, at the end, if it changed.
 */
export interface MachineScope {
  readonly deps: ControllerDeps;
  readonly log: Logger;
  /** The Machine as last read or written (after the finalizer patch, if any). */
  readonly machine: Machine;
  /** The draft: a deep copy of machine.status, free to edit. */
  status: MachineStatus;
  readonly now: Date;
}

export function newScope(deps: ControllerDeps, log: Logger, machine: Machine): MachineScope {
  return { deps, log, machine, status: structuredClone(machine.status ?? {}), now: deps.clock.now() };
}

export function generationOf(machine: Machine): number {
  return machine.metadata.generation ?? 0;
}

export function namespaceOf(machine: Machine): string {
  return machine.metadata.namespace ?? DEFAULT_NAMESPACE;
}

/** The Machine's UID; a stored object always has one, so its absence is a store bug worth a loud error. */
export function uidOf(machine: Machine): string {
  const uid = machine.metadata.uid;
  if (uid === undefined || uid === '') throw new Error(`Machine ${namespaceOf(machine)}/${machine.metadata.name} has no metadata.uid`);
  return uid;
}
