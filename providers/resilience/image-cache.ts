/**
 * An account's image lookups, kept for a while: every launch asks which image an OS is in a
 * region, and the answer changes only when the cloud publishes a new image. Without this, a
 * 1,000-node scale-out made 1,000 identical DescribeImages (or images.getFromFamily, or
 * GET /v2/images/{slug}) calls, each taking a token of the account's read budget (EC2's default
 * here refills 5 a second) and a slot from the creates. Lookups in flight for the same key are
 * shared; a failure is not kept, nor is "no such image" (so a fix on the cloud's side shows at once).
 */
export const IMAGE_CACHE_TTL_MS = 10 * 60_000;

export class ImageCache {
  private readonly entries = new Map<string, { readonly image: string; readonly atMs: number }>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  /** `nowMs`: a monotonic clock in milliseconds. */
  constructor(private readonly nowMs: () => number, private readonly ttlMs = IMAGE_CACHE_TTL_MS) {}

  lookup(region: string, os: string, fetch: () => Promise<string | undefined>): Promise<string | undefined> {
    const key = `${region}\0${os}`;
    const kept = this.entries.get(key);
    if (kept !== undefined && this.nowMs() - kept.atMs < this.ttlMs) return Promise.resolve(kept.image);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const started = this.nowMs();
    const lookup = fetch()
      .then((image) => {
        if (image === undefined) this.entries.delete(key);
        else this.entries.set(key, { image, atMs: started });
        return image;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }
}
