/** What one transaction stamps on what it writes. */
export interface WriteContext {
  /** The resourceVersion of every object the transaction writes: the state's revision + 1. */
  readonly revision: string;
  /** creationTimestamp and deletionTimestamp, RFC 3339 at second precision. */
  readonly now: string;
  newUid(): string;
}
