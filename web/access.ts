import type { IncomingMessage } from 'node:http';

/**
 * Whether a request may see the fleet, decided by the server the web view is mounted on (the
 * inventory server: a bearer token, TokenReview and SubjectAccessReview in a cluster).
 * `canRead` narrows what an allowed caller sees to some namespaces; absent: all of them.
 */
export type WebAccess =
  | { readonly kind: 'allowed'; readonly canRead?: (namespace: string) => boolean }
  | { readonly kind: 'denied'; readonly status: 401 | 403; readonly detail: string; readonly headers?: Readonly<Record<string, string>> };

export type WebAuthorizer = (req: IncomingMessage) => Promise<WebAccess>;

/** Everyone who reaches the address sees everything (standalone on loopback, as /metrics). */
export const allowAll: WebAuthorizer = () => Promise.resolve({ kind: 'allowed' });
