/** Labels, annotations and finalizers polyfleet puts on objects: part of the API users select on. */
export const LABEL_POOL = 'polyfleet.io/pool';
export const LABEL_SLOT = 'polyfleet.io/slot';
export const LABEL_PROVIDER = 'polyfleet.io/provider';

/** On a Machine: the NodePool's one-line CRUSH and pick explanation, copied into status.placement. */
export const ANNOTATION_PLACEMENT = 'polyfleet.io/placement';
/**
 * On a Machine: the hourly price the NodePool chose it at, counted against maxHourlyTotal until the
 * Machine reports status.hourlyPrice (a Machine not yet launched still commits its budget).
 */
export const ANNOTATION_HOURLY_PRICE = 'polyfleet.io/hourly-price';

/** Held by a NodePool until every Machine of it is gone. */
export const FINALIZER_NODEPOOL = 'polyfleet.io/nodepool';
/** Held by a Machine until its instance is terminated: no instance outlives its Machine. */
export const FINALIZER_MACHINE = 'polyfleet.io/machine';
