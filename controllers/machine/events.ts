import type { Instance } from '../../providers/index.js';
import type { EventInput } from '../../runtime/events/index.js';
import type { MachineScope } from './scope.js';
import { namespaceOf } from './scope.js';

/** Event reasons of the Machine controller besides the failure reasons (api Reason), which Warnings reuse. */
export const MachineEventReason = {
  Created: 'Created',
  Deleted: 'Deleted',
  TerminationBlocked: 'TerminationBlocked',
} as const;

function record(scope: MachineScope, event: EventInput): void {
  const { metadata } = scope.machine;
  scope.deps.recorder.record(
    { kind: 'Machine', namespace: namespaceOf(scope.machine), name: metadata.name, ...(metadata.uid === undefined ? {} : { uid: metadata.uid }) },
    event,
  );
}

export function instanceCreated(scope: MachineScope, instance: Instance): void {
  record(scope, {
    type: 'Normal',
    reason: MachineEventReason.Created,
    action: 'Create',
    message: `created instance ${instance.id} (${instance.instanceType} in ${instance.account}/${instance.region}/${instance.zone}, $${instance.hourlyPrice}/h)`,
  });
}

export function instanceDeleted(scope: MachineScope, instanceIds: readonly string[]): void {
  const what = instanceIds.length === 0 ? 'no instance was left to terminate' : `terminated instance ${instanceIds.join(', ')}`;
  record(scope, { type: 'Normal', reason: MachineEventReason.Deleted, action: 'Delete', message: what });
}

/** A failure a human acts on; `reason` is the api Reason the status carries too. */
export function machineFailed(scope: MachineScope, reason: string, action: string, message: string): void {
  record(scope, { type: 'Warning', reason, action, message });
}

export function terminationBlocked(scope: MachineScope, message: string): void {
  record(scope, { type: 'Warning', reason: MachineEventReason.TerminationBlocked, action: 'Delete', message });
}
