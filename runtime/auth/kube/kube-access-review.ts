import { AuthenticationV1Api, AuthorizationV1Api, V1SubjectAccessReview, V1SubjectAccessReviewSpec, V1TokenReview, V1TokenReviewSpec, type KubeConfig } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { apiFailure } from '../../store/kube/api-errors.js';
import { reuseConnections } from '../../store/kube/reuse-connections.js';
import { bearerToken, type AccessControl, type Authentication, type Caller, type ResourceAttributes } from '../access.js';
import { reviewAttributes } from './resource-attributes.js';

/** As long as an answer is reused; kube-apiserver's own webhook authenticator caches for 2 minutes. */
const TTL_MS = 10_000;
const MAX_CACHED = 1_000;

/**
 * The API server decides, as for kubectl: a bearer token is checked with a TokenReview, and each
 * action with a SubjectAccessReview for that user (the service account needs create on both: the
 * system:auth-delegator ClusterRole). Answers are reused for a few seconds, keyed by a digest of
 * the token (the token itself is never kept).
 */
export function kubeAccessReview(kubeConfig: KubeConfig, now: () => number = Date.now): AccessControl {
  const authn = kubeConfig.makeApiClient(AuthenticationV1Api);
  const authz = kubeConfig.makeApiClient(AuthorizationV1Api);
  const pooled = reuseConnections();
  const tokens = new TtlCache<Authentication>(now);
  const decisions = new TtlCache<boolean>(now);
  return {
    scheme: 'Authorization: Bearer <a Kubernetes token, e.g. kubectl create token NAME>',
    async authenticate(authorization) {
      if (authorization === undefined) return { kind: 'unauthenticated', reason: 'no Authorization header' };
      const token = bearerToken(authorization);
      if (token === undefined) return { kind: 'unauthenticated', reason: 'the Authorization header is not "Bearer <token>"' };
      const key = createHash('sha256').update(token).digest('hex');
      const cached = tokens.get(key);
      if (cached !== undefined) return cached;
      const review = await call('TokenReview', () => authn.createTokenReview({ body: tokenReview(token) }, pooled));
      const user = review.status?.user;
      const result: Authentication =
        review.status?.authenticated === true && user?.username !== undefined
          ? { kind: 'ok', caller: { user: user.username, groups: user.groups ?? [], ...(user.uid === undefined ? {} : { uid: user.uid }), ...(user.extra === undefined ? {} : { extra: user.extra }) } }
          : { kind: 'unauthenticated', reason: 'the API server does not accept the token' };
      tokens.set(key, result);
      return result;
    },
    async allowed(caller, attributes) {
      const key = JSON.stringify([caller.user, caller.uid, caller.groups, caller.extra, attributes]);
      const cached = decisions.get(key);
      if (cached !== undefined) return cached;
      const review = await call('SubjectAccessReview', () => authz.createSubjectAccessReview({ body: subjectAccessReview(caller, attributes) }, pooled));
      const allowed = review.status?.allowed === true && review.status.denied !== true;
      decisions.set(key, allowed);
      return allowed;
    },
  };
}

function tokenReview(token: string): V1TokenReview {
  const spec = new V1TokenReviewSpec();
  spec.token = token;
  const review = new V1TokenReview();
  review.apiVersion = 'authentication.k8s.io/v1';
  review.kind = 'TokenReview';
  review.spec = spec;
  return review;
}

function subjectAccessReview(caller: Caller, a: ResourceAttributes): V1SubjectAccessReview {
  const spec = new V1SubjectAccessReviewSpec();
  spec.user = caller.user;
  spec.groups = [...caller.groups];
  if (caller.uid !== undefined) spec.uid = caller.uid;
  if (caller.extra !== undefined) spec.extra = Object.fromEntries(Object.entries(caller.extra).map(([k, v]) => [k, [...v]]));
  spec.resourceAttributes = reviewAttributes(a);
  const review = new V1SubjectAccessReview();
  review.apiVersion = 'authorization.k8s.io/v1';
  review.kind = 'SubjectAccessReview';
  review.spec = spec;
  return review;
}

async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const failure = apiFailure(error);
    const said = failure === undefined ? (error instanceof Error ? error.message : String(error)) : `HTTP ${failure.code}${failure.status.message === undefined ? '' : `: ${failure.status.message}`}`;
    throw new Error(`creating a ${what} failed (the service account needs create on ${what.toLowerCase()}s: bind it to system:auth-delegator): ${said}`);
  }
}

class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  constructor(private readonly now: () => number) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.until > this.now()) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= MAX_CACHED) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, until: this.now() + TTL_MS });
  }
}
