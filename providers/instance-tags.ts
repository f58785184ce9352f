import { TAG_ATTEMPT, TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from './types.js';
import type { CreateRequest, OWN_TAG_KEYS } from './types.js';

/** The tags every instance of `req` carries: the request's own, under ours (OWN_TAG_KEYS always win). */
export function instanceTags(req: CreateRequest): Record<string, string> {
  const own: Record<(typeof OWN_TAG_KEYS)[number], string> = {
    [TAG_MANAGED_BY]: req.managedBy,
    [TAG_POOL]: req.pool,
    [TAG_NAMESPACE]: req.namespace,
    [TAG_MACHINE]: req.machineUid,
    [TAG_ATTEMPT]: String(req.attempt),
  };
  return { ...req.tags, ...own };
}
