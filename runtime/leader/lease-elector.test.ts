import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { FakeClock } from '../testing/fake-clock.js';
import { LeaseConflictError, type LeaseClient, type LeaseRecord, type VersionedLease } from './lease-client.js';
import { LeaseElector } from './lease-elector.js';

/** One Lease in memory with the API server's optimistic concurrency, shared by every candidate's client. */
class LeaseState {
  lease: VersionedLease | undefined;
  private version = 0;

  /** What a write by anyone leaves behind. */
  store(record: LeaseRecord): VersionedLease {
    this.lease = { record, resourceVersion: String(++this.version) };
    return this.lease;
  }
}

/** One candidate's connection to the Lease; its calls can be made to fail or to hang (a partition). */
class FakeLeaseClient implements LeaseClient {
  readonly description = 'Lease test/lock';
  mode: 'ok' | 'fail' | 'hang' = 'ok';

  constructor(private readonly state: LeaseState) {}

  get(): Promise<VersionedLease | undefined> {
    return this.answer(() => this.state.lease);
  }

  create(record: LeaseRecord): Promise<VersionedLease> {
    return this.answer(() => {
      if (this.state.lease) throw new LeaseConflictError('test', 'lock');
      return this.state.store(record);
    });
  }

  update(record: LeaseRecord, resourceVersion: string): Promise<VersionedLease> {
    return this.answer(() => {
      if (this.state.lease?.resourceVersion !== resourceVersion) throw new LeaseConflictError('test', 'lock');
      return this.state.store(record);
    });
  }

  private answer<T>(f: () => T): Promise<T> {
    if (this.mode === 'hang') return new Promise(() => undefined);
    if (this.mode === 'fail') return Promise.reject(new Error('connect ECONNREFUSED'));
    return new Promise((resolve) => {
      resolve(f());
    });
  }
}

/** Moves the fake clock in small steps, letting the elector's promises settle between them. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  for (let left = ms; left > 0; left -= 100) {
    await settle();
    clock.advance(Math.min(100, left));
  }
  await settle();
}

function candidate(state: LeaseState, clock: FakeClock, identity: string) {
  const log: string[] = [];
  const client = new FakeLeaseClient(state);
  const logger = pino({ level: 'silent' });
  const elector = new LeaseElector({ client, logger, identity, clock, timers: clock, random: () => 0 });
  elector.run({
    onStartedLeading: () => log.push(`started at ${clock.now().getTime() - start}`),
    onStoppedLeading: () => log.push(`stopped at ${clock.now().getTime() - start}`),
  });
  return { elector, log, client };
}

const start = Date.UTC(2025, 0, 1);

describe('LeaseElector', () => {
  it('takes a free lease at once and renews it every retry period', async () => {
    const lease = new LeaseState();
    const clock = new FakeClock(start);
    const { elector, log } = candidate(lease, clock, 'a');
    await advance(clock, 100);
    expect(log).toEqual(['started at 0']);
    expect(lease.lease?.record).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    await advance(clock, 6_000);
    expect(lease.lease?.record.renewTime.getTime()).toBe(start + 6_000);
    await elector.stop();
  });

  it('of two candidates, exactly one leads; the other takes over when the lease runs out', async () => {
    const lease = new LeaseState();
    const clock = new FakeClock(start);
    const a = candidate(lease, clock, 'a');
    const b = candidate(lease, clock, 'b');
    await advance(clock, 10_000);
    expect(a.log).toEqual(['started at 0']);
    expect(b.log).toEqual([]);
    a.client.mode = 'hang'; // a is cut off: its renewals hang
    await advance(clock, 20_000);
    expect(a.log).toEqual(['started at 0', 'stopped at 20000']); // last renewal at 10 s + 10 s renew deadline
    // b first saw that renewal on its try at 12 s; it takes over the moment 15 s have passed since, after a stopped.
    expect(b.log).toEqual(['started at 27000']);
    expect(lease.lease?.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    await a.elector.stop();
    await b.elector.stop();
  });

  it('stops leading as soon as renewals have failed for the renew deadline', async () => {
    const lease = new LeaseState();
    const clock = new FakeClock(start);
    const { elector, log, client } = candidate(lease, clock, 'a');
    await advance(clock, 100);
    client.mode = 'fail';
    await advance(clock, 12_000);
    expect(log).toEqual(['started at 0', 'stopped at 10000']);
    client.mode = 'ok';
    await advance(clock, 30_000);
    expect(log).toHaveLength(2); // one term per run
    await elector.stop();
  });

  it('stops leading at once when it finds another holder', async () => {
    const lease = new LeaseState();
    const clock = new FakeClock(start);
    const { elector, log } = candidate(lease, clock, 'a');
    await advance(clock, 100);
    const now = clock.now();
    lease.store({ holderIdentity: 'usurper', leaseDurationSeconds: 15, acquireTime: now, renewTime: now, leaseTransitions: 1 });
    await advance(clock, 2_000);
    expect(log).toEqual(['started at 0', 'stopped at 2000']);
    await elector.stop();
  });

  it('on stop, tells the manager first, then releases the lease so the next candidate need not wait', async () => {
    const lease = new LeaseState();
    const clock = new FakeClock(start);
    const a = candidate(lease, clock, 'a');
    await advance(clock, 100);
    const b = candidate(lease, clock, 'b');
    await advance(clock, 2_000);
    await a.elector.stop();
    expect(a.log).toEqual(['started at 0', 'stopped at 2100']);
    expect(lease.lease?.record.holderIdentity).toBe('');
    await advance(clock, 2_500);
    expect(b.log).toEqual(['started at 4100']); // its next try after the release, not 15 s later
    await b.elector.stop();
  });

  it('keeps the stated defaults and refuses durations that would let two lead', () => {
    const logger = pino({ level: 'silent' });
    const lease = new FakeLeaseClient(new LeaseState());
    expect(() => new LeaseElector({ client: lease, logger, leaseDurationSeconds: 10, renewDeadlineMs: 10_000 })).toThrow('longer than renewDeadlineMs');
    expect(() => new LeaseElector({ client: lease, logger, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow('1.2');
    expect(new LeaseElector({ client: lease, logger }).identity).toMatch(/_\d+_[0-9a-f]{8}$/);
  });
});
