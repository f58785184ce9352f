import type { Instance, Provider } from '../../providers/index.js';

interface Waiter {
  readonly resolve: (instance: Instance | undefined) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Lookups of single instances in one account and region, answered by batched `describe` calls:
 * ids asked for in the same turn of the event loop, or while a describe is under way, go out
 * together in the next one. At most one describe is in flight here, so a thousand Provisioning
 * Machines looking at once cost a few calls, not a thousand gets. Every asker of a batch gets that
 * call's error if it fails (a throttled answer included: the caller waits as told).
 */
export class DescribeBatch {
  private pending = new Map<string, Waiter[]>();
  private draining = false;

  constructor(
    private readonly provider: Provider,
    private readonly region: string,
  ) {}

  /** The instance as `describe` shows it, or undefined when the region has no such instance (no proof of absence on its own). */
  lookup(instanceId: string): Promise<Instance | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(instanceId) ?? [];
      waiters.push({ resolve, reject });
      this.pending.set(instanceId, waiters);
      if (this.draining) return;
      this.draining = true;
      // One turn of the event loop (no timer, no time): lookups made alongside this one join it.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Map();
      try {
        const found = new Map((await this.provider.describe(this.region, [...batch.keys()])).map((i) => [i.id, i]));
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(found.get(id));
      } catch (err) {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      }
    }
    this.draining = false;
  }
}
