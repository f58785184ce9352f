/**
 * `canRead`, asked once per namespace: what one request or one event stream may see (in a cluster,
 * a SubjectAccessReview per namespace). Absent: everything.
 */
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
