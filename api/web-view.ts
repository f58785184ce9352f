import { z } from 'zod';
import { NodePoolSpec } from './node-pool.js';

/**
 * What the web view's page sends and receives besides the fleet itself: signing in, the session,
 * and the guarded actions on a NodePool. The server parses every request body with these.
 */

/** POST /ui/api/session: the bearer token the server checks (a Kubernetes token, or --inventory-token-file's). */
export const SignInRequest = z.strictObject({
  token: z.string().min(1).max(16384).describe('The bearer token, as curl would send it after "Authorization: Bearer ".'),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

/** GET or POST /ui/api/session: who the page is signed in as, and the token every POST must carry. */
export const WebSession = z.strictObject({
  user: z.string().describe('The caller, as the API server names them (or token-file, or loopback).'),
  csrfToken: z.string().describe('Sent back as the X-CSRF-Token header of every POST and DELETE of this session.'),
  signedIn: z.boolean().describe('True when a token was given (the page offers to sign out); false on loopback without a token.'),
});
export type WebSession = z.infer<typeof WebSession>;

/** GET /ui/api/pools/NS/NAME/permissions: which controls the page shows for this pool. */
export const PoolPermissions = z.strictObject({
  patch: z.boolean().describe('May the caller patch this NodePool (scale, pause, resume)?'),
});
export type PoolPermissions = z.infer<typeof PoolPermissions>;

/** POST /ui/api/pools/NS/NAME/scale: spec.replicas, as `kubectl scale --replicas` sets it. */
export const ScaleRequest = z.strictObject({
  replicas: NodePoolSpec.shape.replicas.unwrap(),
});
export type ScaleRequest = z.infer<typeof ScaleRequest>;

/** POST /ui/api/pools/NS/NAME/pause: spec.paused (true: no Machine is created or deleted). */
export const PauseRequest = z.strictObject({
  paused: NodePoolSpec.shape.paused.unwrap(),
});
export type PauseRequest = z.infer<typeof PauseRequest>;
