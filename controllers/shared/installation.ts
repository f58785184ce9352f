/**
 * The managed-by tag every installation used before installations had identities of their own. An
 * installation still owns instances carrying it when its own Machines name them (by id or by the
 * machine tag), so an upgrade keeps its fleet; the leak collector never takes one, since any
 * installation of that era may own it.
 */
export const LEGACY_MANAGED_BY = 'polyfleet';

/** The managed-by values under which this installation looks its own Machines' instances up. */
export function ownManagedByTags(identity: string): readonly string[] {
  return identity === LEGACY_MANAGED_BY ? [identity] : [identity, LEGACY_MANAGED_BY];
}
