import type { NodePoolStatus } from '../api/index.js';

/** A pool's cost per hour from the moment `at` on. */
export interface CostPoint {
  readonly at: string;
  readonly hourlyCost: NonNullable<NodePoolStatus['hourlyCost']>;
}

/** Every pool's cost history, for the snapshot. */
export interface PoolCosts {
  readonly key: string;
  readonly points: readonly CostPoint[];
}

/**
 * Each pool's cost per hour every time it changed, since the web view began watching the store
 * (nothing older is stored anywhere): the pool page's chart. Bounded per pool, oldest dropped.
 */
export class CostHistory {
  private readonly pools = new Map<string, CostPoint[]>();

  constructor(private readonly perPool = 2_000) {}

  /** Adds a point if the cost differs from the last one; returns it, or undefined when nothing changed. */
  record(key: string, hourlyCost: CostPoint['hourlyCost'], at: Date): CostPoint | undefined {
    const points = this.pools.get(key) ?? [];
    if (points.at(-1)?.hourlyCost === hourlyCost) return undefined;
    const point = { at: at.toISOString(), hourlyCost };
    points.push(point);
    if (points.length > this.perPool) points.splice(0, points.length - this.perPool);
    this.pools.set(key, points);
    return point;
  }

  forget(key: string): boolean {
    return this.pools.delete(key);
  }

  all(): PoolCosts[] {
    return [...this.pools].map(([key, points]) => ({ key, points: [...points] }));
  }
}
