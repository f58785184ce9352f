/** What a LeaderElector tells the manager. Both are called synchronously and must not throw. */
export interface LeadershipHandlers {
  /** This process now leads: the manager starts its reconcile workers. */
  onStartedLeading(): void;
  /**
   * This process no longer leads, or cannot be sure it does (a renewal failed past its deadline):
   * the manager stops starting reconciles at once, before another process could take over.
   */
  onStoppedLeading(): void;
}

/**
 * Decides which one of several processes on the same state reconciles: a Lease in kube mode,
 * ownership of the state file in file mode, always this one in tests.
 *
 * One term per `run`: after `onStoppedLeading` the elector campaigns no more, and the process
 * exits to be restarted (as client-go and controller-runtime do), so nothing from an old term
 * leaks into a new one.
 */
export interface LeaderElector {
  /** Who this process is, for logs and the lease's holder, e.g. hostname + pid + random. */
  readonly identity: string;
  /** Starts campaigning and returns at once; `onStartedLeading` follows when leadership is won. */
  run(handlers: LeadershipHandlers): void;
  /**
   * Stops campaigning and gives leadership up so another process can take over without waiting
   * for a lease to expire. Calls `onStoppedLeading` first if this process led.
   */
  stop(): Promise<void>;
}

/** Leads from the first `run` until `stop`: for one process alone, and for tests. */
export class AlwaysLeader implements LeaderElector {
  private handlers: LeadershipHandlers | undefined;

  constructor(readonly identity = 'always-leader') {}

  run(handlers: LeadershipHandlers): void {
    this.handlers = handlers;
    handlers.onStartedLeading();
  }

  stop(): Promise<void> {
    const handlers = this.handlers;
    this.handlers = undefined;
    handlers?.onStoppedLeading();
    return Promise.resolve();
  }
}
