/**
 * Fields this version does not know, carried through its writes.
 *
 * The API server validates objects against its CRD, which can be newer than this polyfleet (a
 * rollback of the controller; Helm never downgrades CRDs). The informer reads such an object
 * without the unknown fields (controllers see exactly the types they were written for) and keeps
 * the server's copy here, keyed by the cached object itself, so it lives exactly as long as that
 * object is cached and costs nothing for objects without unknown fields.
 *
 * `update` and `updateStatus` send the whole object (the whole status); sent as the controller
 * built it, they would erase what a newer version wrote. So before sending, the store puts each
 * unknown field back where the server's copy had it, if and only if:
 * - the write is conditioned on the same resourceVersion as the cached copy the fields came from.
 *   The API server refuses the write unless that version is still current, so the fields put back
 *   are exactly those on the server now: the write changes only what this version knows, like a
 *   merge patch of the known fields would, and never resurrects a field someone else removed.
 * - its parent is still in the outgoing object (a controller that removed `status.x` removed
 *   what was inside it, unknown fields included) and the controller did not set the key itself.
 * - inside a list, the element is unchanged in every field this version knows (found by content,
 *   wherever it moved: conditions are re-ordered when one is set). An element this version
 *   rewrote is its own now, and a newer version's field about the old element would describe
 *   something that no longer holds; it is dropped, as a merge patch replacing the list would.
 * Anything else (create, an object not cached or at another version: the server answers 409
 * anyway) is sent as built. Patches need nothing: they only touch the fields they name.
 */
export class UnknownFields {
  private readonly rawOf = new WeakMap<object, unknown>();

  /** `decoded` (as cached) was read from `raw`, which has fields `decoded` lacks. */
  remember(decoded: object, raw: unknown): void {
    this.rawOf.set(decoded, raw);
  }

  /** `outgoing`, a write built from `cached`, with `cached`'s unknown fields put back; `outgoing` itself if it had none. */
  carryThrough<T extends object>(outgoing: T, cached: object | undefined): T {
    if (cached === undefined) return outgoing;
    const raw = this.rawOf.get(cached);
    if (raw === undefined || !sameVersion(outgoing, cached)) return outgoing;
    return withUnknownFields(outgoing, cached, raw) as T;
  }
}

function sameVersion(outgoing: object, cached: object): boolean {
  const a = (outgoing as { metadata?: { uid?: unknown; resourceVersion?: unknown } }).metadata;
  const b = (cached as { metadata?: { uid?: unknown; resourceVersion?: unknown } }).metadata;
  if (a?.resourceVersion === undefined || a.resourceVersion !== b?.resourceVersion) return false;
  return a.uid === undefined || a.uid === b.uid;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `outgoing` with every field that `raw` (the server's copy) has and `known` (what this version
 * read of it) lacks, under the rules of UnknownFields. Copies only along the paths it changes.
 */
export function withUnknownFields(outgoing: unknown, known: unknown, raw: unknown): unknown {
  if (isRecord(outgoing) && isRecord(known) && isRecord(raw)) {
    let result: Json | undefined;
    const set = (key: string, value: unknown): void => {
      if (value === outgoing[key] && key in outgoing) return;
      result ??= { ...outgoing };
      result[key] = value;
    };
    for (const [key, rawValue] of Object.entries(raw)) {
      if (!(key in known)) {
        if (!(key in outgoing)) set(key, structuredClone(rawValue));
      } else if (key in outgoing) {
        set(key, withUnknownFields(outgoing[key], known[key], rawValue));
      }
    }
    return result ?? outgoing;
  }
  if (Array.isArray(outgoing) && Array.isArray(known) && Array.isArray(raw) && known.length === raw.length) {
    return withUnknownElementFields(outgoing, known, raw);
  }
  return outgoing;
}

/** Each element of `outgoing` equal (in known fields) to a not yet matched element of `known` gets that element's unknown fields. */
function withUnknownElementFields(outgoing: readonly unknown[], known: readonly unknown[], raw: readonly unknown[]): unknown[] {
  const carrying = new Set<number>();
  for (let i = 0; i < raw.length; i++) if (!jsonEqual(raw[i], known[i])) carrying.add(i);
  if (carrying.size === 0) return outgoing as unknown[];
  const result = [...outgoing];
  for (const [j, element] of outgoing.entries()) {
    const i = carrying.has(j) && jsonEqual(element, known[j]) ? j : [...carrying].find((c) => jsonEqual(element, known[c]));
    if (i === undefined) continue;
    carrying.delete(i);
    result[j] = withUnknownFields(element, known[i], raw[i]);
  }
  return result.every((element, j) => element === outgoing[j]) ? (outgoing as unknown[]) : result;
}

/**
 * Equality of JSON values: by content, whatever the prototypes (util.isDeepStrictEqual compares
 * them, and a structuredClone made in another realm, as under jest, has another Object.prototype).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Json)[k], (b as Json)[k]));
}
