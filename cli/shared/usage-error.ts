/** A mistake in how a command was called: exit 2, with the message and the command's help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** node's parseArgs error as a UsageError: its own wording names the flag; its advice about "--" does not apply here. */
export function usageErrorFromParseArgs(e: unknown): UsageError {
  if (e instanceof UsageError) return e;
  const message = typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
  return new UsageError(message.split('. To specify a positional')[0] ?? 'bad flags');
}
