// What the mapper reports while it runs, when someone listens. The hot path checks one
// `tracer !== null` per event and builds nothing otherwise; draw details (u, ln, draw of
// every item) are recomputed by the listener from the bucket and r, not carried here.

/** Retry counters are C's ftotal: 0 on the first try of a replica. */
export type TraceEvent =
  | { readonly kind: 'stepStart'; readonly step: number; readonly input: readonly number[] }
  | { readonly kind: 'stepEnd'; readonly step: number; readonly output: readonly number[] }
  /** A straw2 choice in one bucket; a descent through several levels reports each. */
  | { readonly kind: 'draw'; readonly bucket: number; readonly r: number; readonly item: number; readonly depth: number }
  | { readonly kind: 'collision'; readonly item: number; readonly rep: number; readonly retry: number; readonly depth: number }
  | {
      readonly kind: 'reject';
      readonly item: number;
      /** `item` is the device that is out, the bucket without a leaf, or the empty bucket. */
      readonly reason: 'out' | 'noLeaf' | 'emptyBucket';
      readonly rep: number;
      readonly retry: number;
      readonly depth: number;
    }
  | { readonly kind: 'accept'; readonly item: number; readonly rep: number; readonly retry: number; readonly depth: number }
  /** firstn gives a replica up: tries exhausted, or the descent hit a device above the wanted type. */
  | {
      readonly kind: 'giveUp';
      readonly rep: number;
      readonly retry: number;
      readonly reason: 'triesExhausted' | 'deadEnd';
      readonly depth: number;
    }
  /** indep leaves a hole (ITEM_NONE) at this position. */
  | { readonly kind: 'hole'; readonly rep: number; readonly depth: number };

export interface Tracer {
  record(event: TraceEvent): void;
}
