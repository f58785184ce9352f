import { isDeepStrictEqual } from 'node:util';
import { ANNOTATION_PLACEMENT, ConditionType, Reason } from '../../api/index.js';
import type { Machine, MachineStatus } from '../../api/index.js';
import type { Instance } from '../../providers/index.js';
import { setCondition } from '../shared/index.js';
import type { NewCondition } from '../shared/index.js';
import type { MachineScope } from './scope.js';
import { generationOf } from './scope.js';

/** status.placement's schema bound. */
const MAX_PLACEMENT_LENGTH = 2048;
const MAX_FAILURE_MESSAGE_LENGTH = 2048;

export function setMachineCondition(scope: MachineScope, condition: NewCondition): void {
  scope.status.conditions = setCondition(scope.status.conditions, condition, generationOf(scope.machine), scope.now);
}

/** Failed is final: the NodePool controller replaces the Machine, never this one's instance. */
export function markFailed(scope: MachineScope, reason: string, message: string): void {
  scope.status.phase = 'Failed';
  scope.status.failureReason = reason;
  scope.status.failureMessage = message.length > MAX_FAILURE_MESSAGE_LENGTH ? `${message.slice(0, MAX_FAILURE_MESSAGE_LENGTH - 3)}...` : message;
  setMachineCondition(scope, { type: ConditionType.Ready, status: 'False', reason, message });
}

/** What the provider said about the instance: addresses and price move with it. */
export function recordInstance(scope: MachineScope, instance: Instance): void {
  scope.status.instanceId = instance.id;
  scope.status.createdAt ??= instance.createdAt;
  scope.status.hourlyPrice = instance.hourlyPrice;
  if (instance.addresses.length > 0) scope.status.addresses = instance.addresses.map((a) => ({ ...a }));
}

/** The pool's explanation of where the Machine is, written once by the NodePool controller at creation. */
export function copyPlacement(scope: MachineScope): void {
  const placement = scope.machine.metadata.annotations?.[ANNOTATION_PLACEMENT];
  if (placement === undefined) return;
  scope.status.placement = placement.length > MAX_PLACEMENT_LENGTH ? `${placement.slice(0, MAX_PLACEMENT_LENGTH - 3)}...` : placement;
}

/** Conditions a Machine shows from its first visit, Unknown until a phase knows better. */
export function initConditions(scope: MachineScope): void {
  const types = new Set((scope.status.conditions ?? []).map((c) => c.type));
  if (!types.has(ConditionType.Launched)) {
    setMachineCondition(scope, { type: ConditionType.Launched, status: 'Unknown', reason: Reason.NotLaunched, message: 'no instance created yet' });
  }
  if (!types.has(ConditionType.Ready)) {
    setMachineCondition(scope, { type: ConditionType.Ready, status: 'Unknown', reason: Reason.NotLaunched, message: 'no instance created yet' });
  }
  scope.status.phase ??= 'Pending';
}

/** Writes the draft status if it differs from the stored one; a ConflictError goes up and the runtime requeues. */
export async function writeStatusIfChanged(scope: MachineScope): Promise<void> {
  const next: MachineStatus = { ...scope.status, observedGeneration: generationOf(scope.machine) };
  if (isDeepStrictEqual(next, scope.machine.status ?? {})) return;
  const machine: Machine & { kind: 'Machine' } = { ...scope.machine, kind: 'Machine', status: next };
  await scope.deps.store.updateStatus(machine);
}
