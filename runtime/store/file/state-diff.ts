import type { Change } from './object-index.js';
import type { State } from './state.js';

/**
 * What a watcher must be told when the whole state was re-read (another process compacted the
 * file): the difference between what it knew and what is there now, as a re-list would replay it.
 */
export function diffStates(before: State, after: State): Change[] {
  const changes: Change[] = [];
  for (const object of after.objects.all()) {
    const old = before.objects.get(object.kind, { namespace: object.metadata.namespace ?? '', name: object.metadata.name });
    if (old === undefined) changes.push({ type: 'ADDED', object });
    else if (old.metadata.uid !== object.metadata.uid) changes.push({ type: 'DELETED', object: old }, { type: 'ADDED', object });
    else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) changes.push({ type: 'MODIFIED', object });
  }
  for (const old of before.objects.all()) {
    if (after.objects.get(old.kind, { namespace: old.metadata.namespace ?? '', name: old.metadata.name }) === undefined) {
      changes.push({ type: 'DELETED', object: old });
    }
  }
  return changes;
}
