// The Events a pool gets: scaling (Normal) and failures a human acts on (Warning).

import type { NodePool } from '../../api/index.js';
import type { ControllerDeps } from '../shared/index.js';

/**
 * Events only for what a human acts on (docs/architecture.md "Conventions"); the recorder drops
 * repeats within two minutes.
 */
export function recordPoolEvent(deps: ControllerDeps, pool: NodePool, type: 'Normal' | 'Warning', reason: string, action: string, message: string): void {
  const uid = pool.metadata.uid;
  deps.recorder.record(
    { kind: 'NodePool', namespace: pool.metadata.namespace ?? 'default', name: pool.metadata.name, ...(uid === undefined ? {} : { uid }) },
    { type, reason, action, message },
  );
}

/** "0-3, 7" for [0, 1, 2, 3, 7]: short enough for an Event about a thousand slots. */
export function slots(list: readonly number[]): string {
  const sorted = [...list].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    ranges.push(i === j ? `${sorted[i] ?? ''}` : `${sorted[i] ?? ''}-${sorted[j] ?? ''}`);
    i = j + 1;
  }
  return ranges.join(', ');
}
