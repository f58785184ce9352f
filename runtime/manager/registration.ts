import type { Kind, Resource, ResourceOf } from '../../api/index.js';
import type { ControllerDefinition } from '../controller/index.js';
import type { ObjectKey } from '../store/index.js';

/** Keys of the primary kind to reconcile when an object of a watched kind changes. */
export type MapResult = readonly ObjectKey[] | Promise<readonly ObjectKey[]>;

/** A watch on another kind whose objects map to primary keys, e.g. a Strategy to every NodePool naming it. */
export interface MappedWatch {
  readonly kind: Kind;
  readonly map: (object: Resource) => MapResult;
}

/**
 * What tells a controller to look at a key besides the store's watches: a change outside the
 * store, such as a cloud listing that shows an instance stopped. Started when the controller starts
 * reconciling (this process leads), stopped when the manager stops; `enqueue` may be called any
 * time in between, for keys that need not exist.
 */
export interface ControllerSource {
  /** Begins feeding keys; returns how to stop (cancel timers, close connections). */
  start(enqueue: (key: ObjectKey) => void): () => void;
}

/**
 * A controller and the watches that feed its queue:
 * - its own kind: a change enqueues that object's key;
 * - `owns`: a change to an object whose controller owner (ownerReferences, `controller: true`)
 *   is of the primary kind enqueues the owner;
 * - `watches`: a change runs the map function and enqueues every key it returns;
 * - `sources`: whatever they enqueue, while the controller reconciles.
 */
export interface ControllerRegistration<K extends Kind = Kind> extends ControllerDefinition<K> {
  readonly owns?: readonly Kind[];
  /**
   * A change to an owned object enqueues the owner this long after it (default 0: at once), or ten
   * times the owner's last reconcile if that is longer (Controller.enqueueOwnerOfChange); changes
   * meanwhile add nothing, so a burst of them is one reconcile of the owner per window instead of
   * one per change (Karpenter batches pod events the same way). The bound on how late an owner
   * sees an owned change; changes to the owner itself are never delayed.
   */
  readonly ownedChangeDelayMs?: number;
  readonly watches?: readonly MappedWatch[];
  readonly sources?: readonly ControllerSource[];
}

/** A typed MappedWatch: `map` sees the watched kind's type. */
export function mapKind<W extends Kind>(kind: W, map: (object: ResourceOf<W>) => MapResult): MappedWatch {
  return { kind, map: map as (object: Resource) => MapResult };
}
