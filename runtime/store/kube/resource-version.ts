/**
 * Whether resourceVersion `a` is newer than `b`.
 *
 * Kubernetes calls resourceVersions opaque, but an etcd-backed API server hands out etcd's
 * revision, one counter for the whole cluster, so within one kind's list+watch stream the numbers
 * only grow. We compare them as integers (as controller-runtime's and client-go's caches do not)
 * for one reason: to let a write's response into the informer cache before its watch event, so a
 * process reads its own writes, without ever letting an older copy overwrite a newer one. Anything
 * that does not parse as an integer is treated as not comparable: `false`, so the watch stream,
 * which is ordered, stays the only source of truth for it.
 */
export function isNewerVersion(a: string | undefined, b: string | undefined): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x !== undefined && y !== undefined && x > y;
}

/** Whether both parse and `a` is at least `b`. */
export function isAtLeastVersion(a: string | undefined, b: string | undefined): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x !== undefined && y !== undefined && x >= y;
}

function parseVersion(v: string | undefined): bigint | undefined {
  if (v === undefined || !/^[0-9]{1,30}$/.test(v)) return undefined;
  return BigInt(v);
}
