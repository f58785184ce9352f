import { TransientError } from '../errors.js';
import type { Instance } from '../types.js';
import { classifyOperationError, isNotFound } from './classify.js';
import { CALL } from './clients.js';
import { gceCall } from './context.js';
import type { GceContext } from './context.js';
import { toInstance } from './instances.js';
import type { GceInstance } from './instances.js';

import { deleteRequestIdFor } from './names.js';
import type { GceOperation } from './operations.js';

/** Failed deletes followed, each under a new requestId, before the failure is surfaced. */
const MAX_DELETE_HOPS = 4;


/** Our Instance of a GCE instance as this provider sees it: `terminating` once it asked to delete it. */
export function observed(ctx: GceContext, found: GceInstance): Instance {
  return toInstance(found, ctx.account, ctx.price, ctx.deleting.has(found.id));
}

/** The instance, or undefined on a 404. */
export async function readInstance(ctx: GceContext, zone: string, name: string): Promise<GceInstance | undefined> {
  return gceCall(ctx, `instances.get ${zone}/${name}`, async () => {
    try {
      return (await ctx.clients.instances.get({ project: ctx.clients.project, zone, instance: name }, CALL))[0];
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
}

/** The delete's operation, or undefined when the instance is gone (404). */
async function sendDelete(ctx: GceContext, what: string, zone: string, name: string, requestId: string): Promise<GceOperation | undefined> {
  return gceCall(ctx, what, async () => {
    try {
      const [operation] = await ctx.clients.instances.delete({ project: ctx.clients.project, zone, instance: name, requestId }, CALL);
      return operation.latestResponse as GceOperation;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
}

/**
 * instances.delete of zone/name in whatever state it is (a stopped, TERMINATED, instance is deleted
 * as a running one is), without waiting for the operation: the caller polls get. Read first for
 * GCE's numeric id, which keys the requestId and the mark.
 */
export async function deleteInstance(ctx: GceContext, zone: string, name: string): Promise<void> {
  const what = `instances.delete ${zone}/${name}`;
  const found = await readInstance(ctx, zone, name);
  if (found?.id == null) return;
  const gceId = String(found.id);
  let requestId = deleteRequestIdFor(gceId);
  for (let hop = 0; ; hop++) {
    const operation = await sendDelete(ctx, what, zone, name, requestId);
    if (operation === undefined) {
      ctx.deleting.forget(gceId);
      return;
    }
    // A failed delete stays failed under its requestId (a replay returns it): move on to a new one.
    if (operation.status !== 'DONE' || !operation.error) {
      ctx.deleting.mark(gceId);
      return;
    }
    if (hop === MAX_DELETE_HOPS) throw classifyOperationError(operation.error, operation.httpErrorStatusCode ?? undefined, what, ctx.account);
    if (!operation.name) throw new TransientError(`${what}: a failed delete operation without a name`, ctx.account);
    requestId = deleteRequestIdFor(gceId, operation.name);
  }
}
