import { ConditionType, Reason } from '../../api/index.js';
import type { Instance } from '../../providers/index.js';
import { rfc3339Seconds } from '../../runtime/clock.js';
import { observerOf, type InstanceListing } from '../observer/index.js';
import type { MachineTarget } from './account.js';
import type { MachineScope } from './scope.js';
import { uidOf } from './scope.js';
import { getInstance } from './provider-calls.js';
import { setMachineCondition } from './status.js';

/**
 * How long the provider may leave an instance out of its listings (and not know it by id) before the instance is declared
 * gone. EC2 is eventually consistent for seconds after a create, and any cloud can answer "not
 * found" during a hiccup; declaring a live instance gone would replace it and leak it.
 */
export const NOT_FOUND_GRACE_MS = 60_000;

export type Observation =
  /** `nextLookMs`: when a newer listing than the one that showed it can be had. */
  | { readonly kind: 'seen'; readonly instance: Instance; readonly nextLookMs: number }
  /** Absent from listings over the grace period, and no instance carries the Machine's tag at its end. */
  | { readonly kind: 'gone'; readonly why: string }
  | { readonly kind: 'wait'; readonly ms: number };

/**
 * What the provider shows of the Machine's instance, read from the listing of its account and
 * region that every Machine there shares (controllers/observer) rather than by asking for the
 * instance itself. `periodMs` is how old a listing this phase accepts: the listing is refreshed at
 * most once per period however many Machines read it, and never one begun before the instance was
 * created (it could not show it).
 *
 * Absence from a successful listing (and from a look by id) starts a clock
 * (status.instanceNotFoundSince) rather than a failure: only absence from successful listings
 * spanning NOT_FOUND_GRACE_MS (the first that missed it and one begun past the grace), with no
 * instance tagged with the Machine's UID in that last listing either, declares it gone; an
 * instance found by that tag under another id is adopted. A listing that failed or was throttled
 * proves nothing: the Machine waits or the error goes up.
 */
export async function observeInstance(scope: MachineScope, target: MachineTarget, instanceId: string, periodMs: number, askedById = false): Promise<Observation> {
  const read = await observerOf(scope.deps).read(target.provider, scope.machine.spec.region, notBeforeMs(scope, periodMs));
  if (read.kind === 'wait') {
    scope.log.warn({ provider: target.account.name, region: scope.machine.spec.region, waitMs: read.ms }, 'instance listing throttled, waiting');
    return read;
  }
  const { listing } = read;
  const listedAtMs = listing.startedAt.getTime();
  const nextListingMs = listedAtMs + periodMs;
  const instance = listing.byId(instanceId);
  if (instance !== undefined) {
    delete scope.status.instanceNotFoundSince;
    return { kind: 'seen', instance, nextLookMs: waitUntil(scope, nextListingMs) };
  }
  // Listings leave terminated instances out, and a listing can lag behind a create: the instance
  // itself is asked for, once per look and only while it is missing (rare), so a deleted instance
  // fails its Machine at once and a lagging listing does not start the grace.
  // (`askedById`: the caller just did, by a batched describe.)
  if (!askedById) {
    const direct = await getInstance(scope, target, instanceId);
    if (direct.kind === 'wait') return direct;
    if (direct.instance !== undefined) {
      delete scope.status.instanceNotFoundSince;
      return { kind: 'seen', instance: direct.instance, nextLookMs: waitUntil(scope, nextListingMs) };
    }
  }
  const since = scope.status.instanceNotFoundSince ?? rfc3339Seconds(listing.startedAt);
  scope.status.instanceNotFoundSince = since;
  const graceEndMs = Date.parse(since) + NOT_FOUND_GRACE_MS;
  if (graceEndMs > listedAtMs) {
    const message = `the provider has not listed instance ${instanceId} since ${since}; it is declared gone only if that lasts ${NOT_FOUND_GRACE_MS / 1000} s and no instance carries its Machine's tag`;
    setMachineCondition(scope, { type: ConditionType.Ready, status: 'Unknown', reason: Reason.InstanceNotFound, message });
    return { kind: 'wait', ms: waitUntil(scope, Math.min(nextListingMs, graceEndMs)) };
  }
  return lookUpByTag(scope, listing, instanceId, since, nextListingMs);
}

/** The grace is over: the same listing holds every instance of the installation, so it answers the lookup by the Machine's tag. */
function lookUpByTag(scope: MachineScope, listing: InstanceListing, instanceId: string, since: string, nextListingMs: number): Observation {
  const [adopted] = listing.ofMachine(uidOf(scope.machine));
  if (adopted === undefined) return { kind: 'gone', why: `the provider has not listed it since ${since}, by id or by its tags` };
  delete scope.status.instanceNotFoundSince;
  scope.log.info({ instanceId: adopted.id, previousId: instanceId }, 'found instance by its tags');
  return { kind: 'seen', instance: adopted, nextLookMs: waitUntil(scope, nextListingMs) };
}

/**
 * How recent a listing this look needs: begun within the period, after the instance was created,
 * and, once a not-found grace has run out, after its end (a listing from within the grace cannot
 * end it).
 */
function notBeforeMs(scope: MachineScope, periodMs: number): number {
  const nowMs = scope.now.getTime();
  const createdMs = scope.status.createdAt === undefined ? Number.NaN : Date.parse(scope.status.createdAt);
  const since = scope.status.instanceNotFoundSince;
  const graceEndMs = since === undefined ? Number.NaN : Date.parse(since) + NOT_FOUND_GRACE_MS;
  return Math.max(nowMs - periodMs + 1, Number.isNaN(createdMs) ? 0 : createdMs, Number.isNaN(graceEndMs) ? 0 : Math.min(graceEndMs, nowMs));
}

function waitUntil(scope: MachineScope, atMs: number): number {
  return Math.max(1, atMs - scope.now.getTime());
}
