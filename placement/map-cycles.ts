// A bucket that contains itself, directly or not, would make a descent loop forever.

import type { CrushMap } from './crush-map.js';

const VISITING = 1;
const DONE = 2;

/** The names along the first cycle found, first name repeated at the end; else undefined. */
export function findCycle(map: CrushMap): string[] | undefined {
  const byId = new Map(map.buckets.map((b) => [b.id, b]));
  const state = new Map<number, number>();
  const path: number[] = [];

  const visit = (id: number): number[] | undefined => {
    state.set(id, VISITING);
    path.push(id);
    for (const item of byId.get(id)?.items ?? []) {
      if (item.id >= 0 || !byId.has(item.id)) continue;
      const seen = state.get(item.id);
      if (seen === VISITING) return [...path.slice(path.indexOf(item.id)), item.id];
      if (seen === undefined) {
        const cycle = visit(item.id);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(id, DONE);
    return undefined;
  };

  for (const bucket of map.buckets) {
    if (state.has(bucket.id)) continue;
    const cycle = visit(bucket.id);
    if (cycle) return cycle.map((id) => byId.get(id)?.name ?? `#${id}`);
  }
  return undefined;
}

/** Whether `inner` is `outer` or lies anywhere below it (the map must be acyclic). */
export function isInside(map: CrushMap, inner: number, outer: number): boolean {
  if (inner === outer) return true;
  const byId = new Map(map.buckets.map((b) => [b.id, b]));
  const stack = [outer];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const item of byId.get(id)?.items ?? []) {
      if (item.id === inner) return true;
      if (item.id < 0) stack.push(item.id);
    }
  }
  return false;
}
