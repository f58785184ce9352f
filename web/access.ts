import type { IncomingMessage } from 'node:http';

/**
 * Whether a request may see the fleet, decided by the server the web view is mounted on (the
 * inventory server: a bearer token, TokenReview and SubjectAccessReview in a cluster).
 * `canRead` narrows what an allowed caller sees to some namespaces (in a cluster: may they list
 * NodePools there, a SubjectAccessReview); it is asked once per namespace per request or stream.
 * Absent: all of them.
 */
export type WebAccess =
  | { readonly kind: 'allowed'; readonly canRead?: (namespace: string) => Promise<boolean> }
  | { readonly kind: 'denied'; readonly status: 401 | 403; readonly detail: string; readonly headers?: Readonly<Record<string, string>> };

export type WebAuthorizer = (req: IncomingMessage) => Promise<WebAccess>;

/** Everyone who reaches the address sees everything (standalone on loopback, as /metrics). */
export const allowAll: WebAuthorizer = () => Promise.resolve({ kind: 'allowed' });

/** `canRead`, asked once per namespace: what one request or one event stream may see. */
export function namespaceFilter(canRead: ((namespace: string) => Promise<boolean>) | undefined): <T>(items: readonly T[], namespaceOf: (item: T) => string) => Promise<T[]> {
  const decided = new Map<string, Promise<boolean>>();
  return async (items, namespaceOf) => {
    if (canRead === undefined) return [...items];
    const verdicts = await Promise.all(
      items.map((item) => {
        const ns = namespaceOf(item);
        let verdict = decided.get(ns);
        if (verdict === undefined) decided.set(ns, (verdict = canRead(ns)));
        return verdict;
      }),
    );
    return items.filter((_, i) => verdicts[i]);
  };
}
