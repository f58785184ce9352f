import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { systemTimers, type CancelTimer, type Timers } from '../../clock.js';
import type { LeaderElector, LeadershipHandlers } from '../../manager/leader-elector.js';
import { acquireOwnership, OwnedByError, type Ownership } from './ownership.js';

export interface OwnershipElectorOptions {
  readonly statePath: string;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** How often a process that does not own the state tries again. Default 2 s. */
  readonly retryMs?: number;
  /** How often the owner checks that its claim is still the one on disk. Default 2 s. */
  readonly checkMs?: number;
}

type Phase = 'idle' | 'campaigning' | 'leading' | 'done';

/**
 * The LeaderElector of file mode: this process leads while it owns the state file. A follower
 * tries again every `retryMs` and takes over once the owner has died; the owner stops leading at
 * once if its claim is gone from disk (removed, or taken by a process that judged it dead).
 */
export class OwnershipElector implements LeaderElector {
  readonly identity = `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`;
  private readonly timers: Timers;
  private phase: Phase = 'idle';
  private handlers: LeadershipHandlers | undefined;
  private ownership: Ownership | undefined;
  private cancelTimer: CancelTimer | undefined;

  constructor(private readonly options: OwnershipElectorOptions) {
    this.timers = options.timers ?? systemTimers;
  }

  run(handlers: LeadershipHandlers): void {
    if (this.phase !== 'idle') throw new Error(`OwnershipElector ${this.identity}: run() called twice; one term per run`);
    this.handlers = handlers;
    this.phase = 'campaigning';
    this.attempt();
  }

  stop(): Promise<void> {
    const wasLeading = this.phase === 'leading';
    this.phase = 'done';
    this.cancelTimer?.();
    this.ownership?.release();
    this.ownership = undefined;
    if (wasLeading) this.handlers?.onStoppedLeading();
    return Promise.resolve();
  }

  private attempt(): void {
    if (this.phase !== 'campaigning') return;
    try {
      this.ownership = acquireOwnership(this.options.statePath);
    } catch (err) {
      if (!(err instanceof OwnedByError)) this.options.logger.warn({ err, statePath: this.options.statePath }, 'failed to claim the state file; retrying');
      this.cancelTimer = this.timers.setTimeout(() => {
        this.attempt();
      }, this.options.retryMs ?? 2_000);
      return;
    }
    this.phase = 'leading';
    this.options.logger.info({ statePath: this.options.statePath, identity: this.identity }, 'owns the state file; leading');
    this.handlers?.onStartedLeading();
    this.scheduleCheck();
  }

  private scheduleCheck(): void {
    this.cancelTimer = this.timers.setTimeout(() => {
      this.check();
    }, this.options.checkMs ?? 2_000);
  }

  private check(): void {
    if (this.phase !== 'leading') return;
    let owned = false;
    try {
      owned = this.ownership?.stillOwned() === true;
    } catch (err) {
      // Unsure is not leading: the claim cannot be read, so another process may be taking it over.
      this.options.logger.error({ err, statePath: this.options.statePath }, 'cannot read the state file\'s ownership claim');
    }
    if (owned) {
      this.scheduleCheck();
      return;
    }
    this.options.logger.error({ statePath: this.options.statePath, identity: this.identity }, 'lost the state file\'s ownership; stopped leading');
    this.phase = 'done';
    this.ownership = undefined;
    this.handlers?.onStoppedLeading();
  }
}
