import type { Logger } from '../log.js';

/** Where signals come from: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface Stoppable {
  stop(): Promise<void>;
  stopNow(): Promise<void>;
}

/**
 * The first SIGTERM or SIGINT stops gracefully (running reconciles finish, up to the grace
 * period); a second one stops now. Returns a function that removes the handlers.
 */
export function stopOnSignals(
  manager: Stoppable,
  log: Logger,
  source: SignalSource = process,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => () => {
    received++;
    if (received === 1) {
      log.info({ signal }, 'received signal, stopping gracefully');
      void manager.stop();
    } else {
      log.warn({ signal }, 'received another signal, stopping now');
      void manager.stopNow();
    }
  };
  const listeners = signals.map((signal) => [signal, onSignal(signal)] as const);
  for (const [signal, listener] of listeners) source.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}
