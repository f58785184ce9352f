import type { IncomingMessage, ServerResponse } from 'node:http';
import { PauseRequest, PoolPermissions, ScaleRequest, type NodePool } from '../api/index.js';
import { HttpProblem, sendJson } from '../runtime/http/index.js';
import { isConflict, type ObjectKey, type Store } from '../runtime/store/index.js';
import { jsonBody } from './request-body.js';
import { poolView } from './view-model.js';
import type { Identity, WebAuth } from './web-auth.js';

/** A write that lost to another writer this many times in a row is reported, not retried forever. */
const ATTEMPTS = 5;

export type PoolAction = 'scale' | 'pause' | 'permissions';

/**
 * The only writes the web view makes: spec.replicas (scale) and spec.paused (pause, resume) of one
 * NodePool, for a caller who may patch it, from the page's own session (CSRF token and Origin).
 */
export async function poolAction(req: IncomingMessage, res: ServerResponse, action: PoolAction, key: ObjectKey, store: Store, auth: WebAuth, identity: Identity): Promise<void> {
  if (action === 'permissions') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, `${req.method ?? '?'} is not allowed here (GET)`, { Allow: 'GET, HEAD' });
    sendJson(res, PoolPermissions.parse({ patch: await auth.canPatch(identity.caller, key) }));
    return;
  }
  if (req.method !== 'POST') throw new HttpProblem(405, `${req.method ?? '?'} is not allowed here (POST)`, { Allow: 'POST' });
  auth.requireForm(req, identity);
  if (!(await auth.canPatch(identity.caller, key))) {
    throw new HttpProblem(403, `${identity.caller.user} may not patch nodepools.polyfleet.io "${key.name}" in namespace "${key.namespace}", which ${action === 'scale' ? 'scaling' : 'pausing or resuming'} it takes`);
  }
  const change: Partial<NodePool['spec']> = action === 'scale' ? await jsonBody(req, ScaleRequest) : await jsonBody(req, PauseRequest);
  sendJson(res, { pool: poolView(await editSpec(store, key, change)) });
}

/**
 * Reads the pool and writes it back edited, with its resourceVersion (the controller's own `update`
 * right, no `patch` needed by its service account); another writer in between is a Conflict, and
 * the edit is made again on what that writer left.
 */
async function editSpec(store: Store, key: ObjectKey, change: Partial<NodePool['spec']>): Promise<NodePool> {
  for (let attempt = 1; ; attempt++) {
    const pool = await store.get('NodePool', key);
    if (pool === undefined) throw new HttpProblem(404, `there is no NodePool "${key.name}" in namespace "${key.namespace}"`);
    if (pool.metadata.deletionTimestamp !== undefined) throw new HttpProblem(409, `NodePool "${key.name}" in namespace "${key.namespace}" is being deleted`);
    try {
      return await store.update({ ...pool, kind: 'NodePool', spec: { ...pool.spec, ...change } });
    } catch (e) {
      if (!isConflict(e) || attempt === ATTEMPTS) throw isConflict(e) ? new HttpProblem(409, `NodePool "${key.name}" kept changing under ${ATTEMPTS} attempts to write it; try again`) : e;
    }
  }
}
