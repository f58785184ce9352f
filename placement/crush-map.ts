// The CRUSH map as data: types, devices, straw2 buckets and rules, shaped like Ceph's.

/** Ceph's CRUSH_ITEM_NONE: an indep slot that found nothing. */
export const ITEM_NONE = 0x7fffffff;

/** Type id 0 is the device type: items with id ≥ 0 are devices and have it. */
export const DEVICE_TYPE_ID = 0;

/** A 16.16 fixed-point weight of 1.0. */
export const WEIGHT_ONE = 0x10000;

export const MAX_U32 = 0xffffffff;

export interface Tunables {
  readonly chooseLocalTries: number;
  readonly chooseLocalFallbackTries: number;
  /** Retries, not tries: a step tries chooseTotalTries + 1 times. */
  readonly chooseTotalTries: number;
  readonly chooseleafDescendOnce: number;
  readonly chooseleafVaryR: number;
  readonly chooseleafStable: number;
}

/** Ceph's "optimal" profile, the only one whose legacy local retries we do not need. */
export const OPTIMAL_TUNABLES: Tunables = {
  chooseLocalTries: 0,
  chooseLocalFallbackTries: 0,
  chooseTotalTries: 50,
  chooseleafDescendOnce: 1,
  chooseleafVaryR: 1,
  chooseleafStable: 1,
};

export interface CrushType {
  readonly id: number;
  readonly name: string;
}

export interface CrushDevice {
  readonly id: number;
  readonly name: string;
}

export interface BucketItem {
  /** A device (≥ 0) or a bucket (< 0). */
  readonly id: number;
  /** 16.16 fixed point, a u32. */
  readonly weight: number;
  /**
   * The id straw2 hashes instead of `id`, like the ids of Ceph's choose_args. Draws then
   * depend on this value alone, so a map builder can renumber items without moving data.
   */
  readonly hashId?: number;
}

/** Every bucket is straw2 with the rjenkins1 hash: the only kind Ceph still recommends. */
export interface CrushBucket {
  readonly id: number;
  readonly name: string;
  readonly typeId: number;
  readonly items: readonly BucketItem[];
}

export type ChooseMode = 'firstn' | 'indep';

export type RuleStep =
  | { readonly op: 'take'; readonly item: number }
  /** Re-root inside a rule: like take, but the bucket must lie under the last take. */
  | { readonly op: 'use'; readonly item: number }
  | {
      readonly op: 'choose';
      readonly mode: ChooseMode;
      /** chooseleaf: also descend each chosen item to one device. */
      readonly leaf: boolean;
      /** ≤ 0 means resultMax + num. */
      readonly num: number;
      readonly typeId: number;
    }
  | { readonly op: 'emit' };

export interface CrushRule {
  readonly id: number;
  readonly name: string;
  readonly steps: readonly RuleStep[];
}

export interface CrushMap {
  readonly name: string;
  readonly tunables: Tunables;
  readonly types: readonly CrushType[];
  readonly devices: readonly CrushDevice[];
  readonly buckets: readonly CrushBucket[];
  readonly rules: readonly CrushRule[];
}
