import type { protos } from '@google-cloud/compute';
import { TransientError } from '../errors.js';
import { classifyGceError, isNotFound } from './classify.js';
import { CALL } from './clients.js';
import type { GceClients } from './clients.js';

export type GceOperation = protos.google.cloud.compute.v1.IOperation;

/**
 * Waits for a zone operation to be DONE. zoneOperations.wait returns when the operation is done or
 * after up to two minutes (possibly earlier, still running), so it is called in a loop until a
 * deadline; past the deadline the caller decides (an insert may still be found by name later).
 * undefined when GCE no longer knows the operation. Errors name `what` the operation does, never
 * the operation's own name, which differs on every attempt (messages must read the same for one
 * cause).
 */
export async function waitForOperation(
  clients: GceClients,
  account: string,
  what: string,
  zone: string,
  operation: GceOperation,
  deadlineMs: number,
  now: () => number,
): Promise<GceOperation | undefined> {
  let current = operation;
  const name = operation.name ?? '';
  while (current.status !== 'DONE') {
    if (now() >= deadlineMs) throw new TransientError(`${what}: its operation is still ${String(current.status)} after the wait deadline`, account);
    try {
      [current] = await clients.operations.wait({ project: clients.project, zone, operation: name }, CALL);
    } catch (e) {
      // GCE purges old operations; the caller then reads the instance itself.
      if (isNotFound(e)) return undefined;
      throw classifyGceError(e, `zoneOperations.wait for ${what}`, account);
    }
  }
  return current;
}
