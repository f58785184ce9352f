import type { Provider } from '../../providers/index.js';
import type { CancelTimer, Clock, Timers } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/log.js';
import type { ObjectKey } from '../../runtime/store/index.js';
import type { InstanceListing } from './instance-listing.js';
import { changedMachines } from './listing-diff.js';
import type { RegionListing } from './region-listing.js';

/** The Machines that wait for news of their instances from one account-region listing, and its timer. */
interface Loop {
  readonly provider: Provider;
  readonly machines: Set<string>;
  cancel: CancelTimer | undefined;
  /** A timer is set or a listing of the loop's own is under way: nothing more to schedule. */
  busy: boolean;
}

export interface ChangeFeedOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  /** How old the listing of an account-region with waiting Machines may grow before it is made again. */
  readonly periodMs: number;
  readonly log?: Logger;
}

/**
 * Push instead of poll: Running Machines register here (`track`) and then sleep until a long
 * resync; while the feed runs (the Machine controller is reconciling), each account-region with
 * such Machines is listed once per period, and every listing (its own or one a Provisioning
 * Machine or the leak collector asked for) is compared with the one before, and the Machines whose
 * instances vanished or changed are enqueued. An idle fleet costs one listing per account-region
 * and period, and no reconcile at all.
 */
export class ChangeFeed {
  private enqueue: ((key: ObjectKey) => void) | undefined;
  private readonly machines = new Map<string, { readonly key: ObjectKey; readonly region: RegionListing }>();
  private readonly loops = new Map<RegionListing, Loop>();

  constructor(private readonly options: ChangeFeedOptions) {}

  /** Whether changes are pushed now: if not, Machines must keep looking for themselves. */
  running(): boolean {
    return this.enqueue !== undefined;
  }

  start(enqueue: (key: ObjectKey) => void): () => void {
    this.enqueue = enqueue;
    for (const [region, loop] of this.loops) this.schedule(region, loop, 0);
    return () => {
      if (this.enqueue !== enqueue) return;
      this.enqueue = undefined;
      for (const loop of this.loops.values()) {
        loop.cancel?.();
        loop.cancel = undefined;
        loop.busy = false;
      }
    };
  }

  /** Machine `uid` (object `key`) waits for news of its instance in `region`'s listing. */
  track(region: RegionListing, provider: Provider, uid: string, key: ObjectKey): void {
    const current = this.machines.get(uid);
    if (current?.region === region) return;
    if (current !== undefined) this.forget(uid);
    this.machines.set(uid, { key, region });
    let loop = this.loops.get(region);
    if (loop === undefined) {
      loop = { provider, machines: new Set(), cancel: undefined, busy: false };
      this.loops.set(region, loop);
    }
    loop.machines.add(uid);
    if (this.running() && !loop.busy) this.schedule(region, loop, 0);
  }

  /** Machine `uid` no longer waits (it failed, or it is being deleted). */
  forget(uid: string): void {
    const current = this.machines.get(uid);
    if (current === undefined) return;
    this.machines.delete(uid);
    this.loops.get(current.region)?.machines.delete(uid);
  }

  /** A new listing of `region`: enqueue the tracked Machines whose instances it shows changed. */
  listed(region: RegionListing, previous: InstanceListing | undefined, next: InstanceListing): void {
    const enqueue = this.enqueue;
    if (enqueue === undefined || previous === undefined) return;
    for (const uid of changedMachines(previous, next)) {
      const machine = this.machines.get(uid);
      if (machine?.region === region) enqueue(machine.key);
    }
  }

  private schedule(region: RegionListing, loop: Loop, delayMs: number): void {
    loop.cancel?.();
    loop.busy = true;
    loop.cancel = this.options.timers.setTimeout(() => {
      loop.cancel = undefined;
      void this.tick(region, loop);
    }, delayMs);
  }

  /** Lists `region` if its last listing is a period old, then sets the timer for the next. */
  private async tick(region: RegionListing, loop: Loop): Promise<void> {
    const { clock, periodMs, log } = this.options;
    if (!this.running() || this.loops.get(region) !== loop || loop.machines.size === 0) {
      loop.busy = false;
      if (loop.machines.size === 0 && this.loops.get(region) === loop) this.loops.delete(region);
      return;
    }
    const nowMs = clock.now().getTime();
    const lastMs = region.latest()?.startedAt.getTime();
    let nextMs = lastMs === undefined ? 0 : lastMs + periodMs - nowMs;
    if (nextMs <= 0) {
      nextMs = periodMs;
      try {
        const read = await region.read(loop.provider, nowMs - periodMs + 1);
        if (read.kind === 'wait') nextMs = read.ms;
      } catch (err) {
        // Proves nothing: the Machines keep what they last saw, and the next period lists again.
        log?.warn({ provider: loop.provider.account, err }, 'instance listing failed, trying again next period');
      }
    }
    if (this.running() && this.loops.get(region) === loop) this.schedule(region, loop, nextMs);
    else loop.busy = false;
  }
}
