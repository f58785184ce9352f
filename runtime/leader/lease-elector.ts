import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { systemClock, systemTimers, type CancelTimer, type Clock, type Timers } from '../clock.js';
import type { LeaderElector, LeadershipHandlers } from '../manager/leader-elector.js';
import { expiresAtMs, holderOf, release, tryAcquireOrRenew, type AttemptResult, type Observation } from './lease-attempt.js';
import type { LeaseClient } from './lease-client.js';
import { leaseTiming } from './lease-timing.js';

export interface LeaseElectorOptions {
  readonly client: LeaseClient;
  readonly logger: Logger;
  /** Default: hostname, pid and a random suffix, so two processes never share one. */
  readonly identity?: string;
  /** How long a holder's lease lasts without renewal. Default 15 s (lease-timing.ts: client-go's defaults). */
  readonly leaseDurationSeconds?: number;
  /** How long the leader keeps trying to renew before it stops leading. Default 10 s. */
  readonly renewDeadlineMs?: number;
  /** How often candidates try and the leader renews. Default 2 s. */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly timers?: Timers;
  readonly random?: () => number;
  /** Called when the observed holder changes (client-go's OnNewLeader); must not throw. */
  readonly onNewLeader?: (identity: string) => void;
}

type Phase = 'idle' | 'campaigning' | 'leading' | 'done';

export function defaultIdentity(): string {
  return `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it:
 * candidates try every retry period and take the Lease when it is free, released or expired (by
 * their own clock, counted from when they saw it last change); the leader renews every retry
 * period and stops leading the moment it has not renewed for the renew deadline, which is shorter
 * than the lease, so it has stopped before anyone else may take over. One term per `run`.
 */
export class LeaseElector implements LeaderElector {
  readonly identity: string;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private phase: Phase = 'idle';
  private handlers: LeadershipHandlers | undefined;
  private observation: Observation | undefined;
  private observedHolder = '';
  private cancelNextAttempt: CancelTimer | undefined;
  private cancelRenewDeadline: CancelTimer | undefined;

  constructor(private readonly options: LeaseElectorOptions) {
    this.identity = options.identity ?? defaultIdentity();
    const defaults = leaseTiming();
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? defaults.leaseDurationSeconds;
    this.renewDeadlineMs = options.renewDeadlineMs ?? defaults.renewDeadlineMs;
    this.retryPeriodMs = options.retryPeriodMs ?? defaults.retryPeriodMs;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger.child({ lease: options.client.description, identity: this.identity });
    if (this.leaseDurationSeconds * 1000 <= this.renewDeadlineMs) {
      throw new Error(`leaseDurationSeconds (${this.leaseDurationSeconds}) must be longer than renewDeadlineMs (${this.renewDeadlineMs})`);
    }
    if (this.renewDeadlineMs <= this.retryPeriodMs * 1.2) {
      throw new Error(`renewDeadlineMs (${this.renewDeadlineMs}) must be longer than 1.2 × retryPeriodMs (${this.retryPeriodMs})`);
    }
  }

  run(handlers: LeadershipHandlers): void {
    if (this.phase !== 'idle') throw new Error(`LeaseElector ${this.identity}: run() called twice; one term per run`);
    this.handlers = handlers;
    this.phase = 'campaigning';
    this.attempt();
  }

  async stop(): Promise<void> {
    const wasLeading = this.phase === 'leading';
    this.finish();
    if (!wasLeading) return;
    this.handlers?.onStoppedLeading();
    try {
      if (await release(this.options.client, this.identity, this.clock.now(), this.observation)) this.logger.info('released the lease');
      else this.logger.info('left the lease to expire: it changed since it was last renewed');
    } catch (err) {
      this.logger.warn({ err }, 'could not release the lease; it expires on its own');
    }
  }

  /** One try, given up after half the renew deadline so a hung request cannot stall the loop. */
  private attempt(): void {
    let settled = false;
    const settle = (result: AttemptResult | undefined, error?: unknown): void => {
      if (settled) return;
      settled = true;
      cancelTimeout();
      this.afterAttempt(result, error);
    };
    const cancelTimeout = this.timers.setTimeout(() => {
      settle(undefined, new Error(`no answer within ${this.renewDeadlineMs / 2} ms`));
    }, this.renewDeadlineMs / 2);
    tryAcquireOrRenew(this.options.client, this.identity, this.leaseDurationSeconds, this.clock.now(), this.observation).then(
      (result) => {
        settle(result);
      },
      (error: unknown) => {
        settle(undefined, error);
      },
    );
  }

  private afterAttempt(result: AttemptResult | undefined, error: unknown): void {
    if (this.phase === 'done' && result?.acquired === true) {
      // Stopped while this attempt was under way, and it won: hand the lease back rather than make others wait it out.
      release(this.options.client, this.identity, this.clock.now(), result.observation).catch((err: unknown) => {
        this.logger.warn({ err }, 'could not release the lease; it expires on its own');
      });
    }
    if (this.phase !== 'campaigning' && this.phase !== 'leading') return;
    if (error !== undefined) this.logger.warn({ err: error }, 'lease attempt failed, retrying');
    if (result !== undefined) this.observe(result.observation);
    if (this.phase === 'campaigning') {
      if (result?.acquired === true) this.startLeading();
      else this.scheduleAttempt(this.campaignDelayMs());
      return;
    }
    if (result?.acquired === true) {
      this.armRenewDeadline();
    } else if (result !== undefined && holderOf(result.observation) !== this.identity) {
      this.loseLeadership(`the lease is held by ${holderOf(result.observation) || 'nobody'} now`);
      return;
    }
    this.scheduleAttempt(this.retryPeriodMs);
  }

  private startLeading(): void {
    this.phase = 'leading';
    this.armRenewDeadline();
    this.logger.info('started leading');
    this.handlers?.onStartedLeading();
    this.scheduleAttempt(this.retryPeriodMs);
  }

  private loseLeadership(reason: string): void {
    if (this.phase !== 'leading') return;
    this.finish();
    this.logger.warn({ reason }, 'stopped leading');
    this.handlers?.onStoppedLeading();
  }

  private finish(): void {
    this.phase = 'done';
    this.cancelNextAttempt?.();
    this.cancelRenewDeadline?.();
  }

  private armRenewDeadline(): void {
    this.cancelRenewDeadline?.();
    this.cancelRenewDeadline = this.timers.setTimeout(() => {
      this.loseLeadership(`could not renew within ${this.renewDeadlineMs} ms`);
    }, this.renewDeadlineMs);
  }

  private scheduleAttempt(delayMs: number): void {
    this.cancelNextAttempt = this.timers.setTimeout(() => {
      this.attempt();
    }, delayMs);
  }

  /**
   * The retry period with up to 20% jitter (client-go adds up to 120%), but no later than the
   * moment the observed lease expires: with a 15 s lease and 2 s retries a dead leader's
   * successor takes over within about 17.4 s of its last renewal.
   */
  private campaignDelayMs(): number {
    const jittered = this.retryPeriodMs * (1 + 0.2 * (this.options.random ?? Math.random)());
    const observation = this.observation;
    if (observation === undefined || holderOf(observation) === '') return jittered;
    const untilExpiry = expiresAtMs(observation) - this.clock.now().getTime();
    return untilExpiry >= 0 && untilExpiry < jittered ? untilExpiry : jittered;
  }

  private observe(observation: Observation | undefined): void {
    this.observation = observation;
    const holder = holderOf(observation);
    if (holder === this.observedHolder) return;
    this.observedHolder = holder;
    if (holder !== '') this.options.onNewLeader?.(holder);
  }
}
