import type { GceInstance } from './instances.js';

/**
 * GCE shows no status for "being deleted": a running instance whose delete runs is STOPPING, as a
 * stopped one, and a stopped one stays TERMINATED, until both are a 404. So the provider remembers
 * which instances it asked to delete, by GCE's numeric id (one incarnation of a name), and shows
 * them `terminating` until they are gone — for at most DELETE_MARK_TTL_MS, after which a delete
 * that failed in its operation shows the instance's own status again and is asked once more.
 * Another process (a restarted controller) does not know the marks: it sees `stopping` or
 * `stopped` and deletes again, which its requestId makes a replay of the delete under way.
 */
export const DELETE_MARK_TTL_MS = 10 * 60_000;
const MAX_MARKS = 10_000;

export class DeleteMarks {
  /** GCE instance id → when its delete was accepted; oldest first (insertion order). */
  private readonly marks = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  mark(gceId: string): void {
    this.marks.delete(gceId);
    this.marks.set(gceId, this.now());
    for (const oldest of this.marks.keys()) {
      if (this.marks.size <= MAX_MARKS) break;
      this.marks.delete(oldest);
    }
  }

  /** `gceId` as the SDK decodes it (a uint64: string, number or Long). */
  has(gceId: GceInstance['id']): boolean {
    if (gceId == null) return false;
    const key = String(gceId);
    const at = this.marks.get(key);
    if (at === undefined) return false;
    if (this.now() - at < DELETE_MARK_TTL_MS) return true;
    this.marks.delete(key);
    return false;
  }

  forget(gceId: string): void {
    this.marks.delete(gceId);
  }
}
