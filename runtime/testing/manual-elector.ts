import type { LeaderElector, LeadershipHandlers } from '../manager/index.js';

/** A LeaderElector a test drives: `grant` makes this process lead, `revoke` takes leadership away. */
export class ManualElector implements LeaderElector {
  readonly identity = 'manual-elector';
  private handlers: LeadershipHandlers | undefined;
  private leading = false;
  stopped = false;

  run(handlers: LeadershipHandlers): void {
    this.handlers = handlers;
  }

  grant(): void {
    if (this.handlers === undefined) throw new Error('the manager has not started campaigning');
    this.leading = true;
    this.handlers.onStartedLeading();
  }

  revoke(): void {
    if (!this.leading) return;
    this.leading = false;
    this.handlers?.onStoppedLeading();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.revoke();
    return Promise.resolve();
  }
}
