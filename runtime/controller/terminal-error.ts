/**
 * An error retrying cannot fix (bad credentials, an invalid request): the controller records it and
 * does not requeue; the next change to the object reconciles it afresh (controller-runtime's
 * reconcile.TerminalError).
 */
export class TerminalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** True if `error` or any error in its `cause` chain is a TerminalError, so wrapping keeps it terminal. */
export function isTerminal(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    if (e instanceof TerminalError) return true;
    seen.add(e);
  }
  return false;
}
