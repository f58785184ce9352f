import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { tryLock, type LockHolder } from './file-lock.js';
import { describeProcess } from './process-identity.js';

/**
 * In file mode, owning the state file plays the role a Lease plays in a cluster: one controller
 * (`polyfleet run`) owns it at a time. Writes from other processes (`polyfleet apply`) still go
 * through; ownership only decides who reconciles. A dead owner's claim is taken over.
 */
export interface Ownership {
  readonly owner: LockHolder;
  /** Whether the claim on disk is still this one (nobody judged us dead and took it). */
  stillOwned(): boolean;
  /** Gives the claim up; false if it was no longer ours. */
  release(): boolean;
}

export class OwnedByError extends Error {
  constructor(readonly statePath: string, readonly owner: LockHolder | undefined) {
    super(
      `state file ${statePath} is owned by ${owner === undefined ? 'another process' : `${describeProcess(owner)} since ${owner.since}`}: ` +
        'another polyfleet controller runs on it; stop that one first, or use another state file',
    );
    this.name = 'OwnedByError';
  }
}

export function ownershipPath(statePath: string): string {
  return `${resolve(statePath)}.owner`;
}

/** Claims the state file for this process, or throws OwnedByError naming the live owner. */
export function acquireOwnership(statePath: string): Ownership {
  const path = ownershipPath(statePath);
  mkdirSync(dirname(path), { recursive: true });
  const result = tryLock(path, 'owner');
  if (!result.acquired) throw new OwnedByError(resolve(statePath), result.holder);
  const { lock } = result;
  return { owner: lock.holder, stillOwned: () => lock.stillHeld(), release: () => lock.release() };
}
