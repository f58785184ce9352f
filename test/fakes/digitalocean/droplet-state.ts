import { IMAGES, REGIONS, SIZES } from './catalogue.js';
import type { FakeImage, FakeRegion, FakeSize } from './catalogue.js';
import {
  DROPLET_LIMIT,
  INVALID_IMAGE,
  INVALID_NAME,
  INVALID_REGION,
  INVALID_SIZE,
  INVALID_TAG,
  REGION_UNAVAILABLE,
  PENDING_EVENT,
  SIZE_NOT_IN_REGION,
  unprocessable,
} from './do-errors.js';
import type { DoError } from './do-errors.js';

/** One droplet as the fake keeps it; rendered to the API's JSON on every read. */
interface DropletRecord {
  readonly id: number;
  readonly name: string;
  readonly region: FakeRegion;
  readonly size: FakeSize;
  readonly image: FakeImage;
  readonly tags: readonly string[];
  readonly createdAtMs: number;
  readonly userData?: string;
  /** GETs of this droplet so far: a new droplet turns active after a few, or after some time. */
  polls: number;
  /** Powered off by a completed power_off or shutdown action (status `off`), on by power_on. */
  off: boolean;
  /** The action under way: the droplet is locked until it completes. */
  pending?: ActionRecord;
}

/** A droplet action (POST /v2/droplets/{id}/actions): in-progress for `msPerAction`, then completed. */
interface ActionRecord {
  readonly id: number;
  readonly type: PowerAction;
  readonly dropletId: number;
  readonly region: FakeRegion;
  readonly startedAtMs: number;
  completedAtMs?: number;
}

/** The droplet actions the fake serves: the power ones. */
export const POWER_ACTIONS = ['power_off', 'shutdown', 'power_on'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

export type ActionResult = { readonly ok: true; readonly action: Record<string, unknown> } | { readonly ok: false; readonly error: DoError };

export interface DropletStateOptions {
  readonly nowMs: () => number;
  readonly pollsUntilActive: number;
  readonly msUntilActive: number;
  readonly dropletLimit: number;
  /** How long a droplet action stays in-progress. */
  readonly msPerAction: number;
}

const TAG = /^[A-Za-z0-9_:-]{1,255}$/;
const HOSTNAME = /^[A-Za-z0-9.-]{1,255}$/;

export type CreateResult = { readonly ok: true; readonly droplet: Record<string, unknown> } | { readonly ok: false; readonly error: DoError };

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/** The account's droplets, in memory. Ids grow from a DO-looking base so they are never 0 or small. */
export class DropletState {
  private readonly droplets = new Map<number, DropletRecord>();
  /** Tags are case-insensitive on DO and keep the casing of their first use ("case stable"). */
  private readonly canonicalTags = new Map<string, string>();
  private readonly actions = new Map<number, ActionRecord>();
  private nextId = 3164444;
  private nextActionId = 36804636;

  constructor(private readonly options: DropletStateOptions) {}

  create(body: Record<string, unknown>): CreateResult {
    const fail = (error: DoError): CreateResult => ({ ok: false, error });
    const name = stringField(body, 'name');
    const regionSlug = stringField(body, 'region');
    const sizeSlug = stringField(body, 'size');
    const imageRef = body.image;
    if (name === undefined || sizeSlug === undefined || imageRef === undefined) return fail(unprocessable('name, size and image are required'));
    if (!HOSTNAME.test(name)) return fail(INVALID_NAME);
    const region = REGIONS.find((r) => r.slug === regionSlug);
    if (!region) return fail(INVALID_REGION);
    if (!region.available) return fail(REGION_UNAVAILABLE);
    const size = SIZES.find((s) => s.slug === sizeSlug);
    if (!size) return fail(INVALID_SIZE);
    if (!size.available || !size.regions.includes(region.slug)) return fail(SIZE_NOT_IN_REGION);
    const image = IMAGES.find((i) => i.slug === imageRef || i.id === imageRef);
    if (!image || !image.regions.includes(region.slug)) return fail(INVALID_IMAGE);
    const tags = body.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === 'string' && TAG.test(t))) return fail(INVALID_TAG);
    if (this.droplets.size >= this.options.dropletLimit) return fail(DROPLET_LIMIT);
    const userData = stringField(body, 'user_data');
    const canonical = tags.map((t) => this.canonicalTag(t));
    const record: DropletRecord = { id: this.nextId++, name, region, size, image, tags: [...new Set(canonical)], createdAtMs: this.options.nowMs(), polls: 0, off: false, ...(userData === undefined ? {} : { userData }) };
    this.droplets.set(record.id, record);
    return { ok: true, droplet: this.render(record) };
  }

  /** The droplet's JSON, counting the read as a poll (how a new droplet comes up). */
  get(id: number): Record<string, unknown> | undefined {
    const record = this.droplets.get(id);
    if (!record) return undefined;
    record.polls += 1;
    return this.render(record);
  }

  /** Droplets carrying `tag` in any casing (all if undefined), oldest first. */
  list(tag: string | undefined): Record<string, unknown>[] {
    const wanted = tag?.toLowerCase();
    return [...this.droplets.values()].filter((d) => wanted === undefined || d.tags.some((t) => t.toLowerCase() === wanted)).map((d) => this.render(d));
  }

  private canonicalTag(tag: string): string {
    const key = tag.toLowerCase();
    const known = this.canonicalTags.get(key);
    if (known !== undefined) return known;
    this.canonicalTags.set(key, tag);
    return tag;
  }

  delete(id: number): boolean {
    return this.droplets.delete(id);
  }

  /**
   * Starts a power action, as DigitalOcean does: refused (422) while the droplet is new or another
   * action is under way; in-progress for msPerAction, after which the droplet is `off` (power_off,
   * shutdown) or `active` (power_on). Powering off an off droplet is an action that changes nothing.
   * undefined if there is no such droplet.
   */
  act(dropletId: number, type: string): ActionResult | undefined {
    const record = this.droplets.get(dropletId);
    if (!record) return undefined;
    this.settle(record);
    if (!(POWER_ACTIONS as readonly string[]).includes(type)) return { ok: false, error: unprocessable(`${JSON.stringify(type)} is not an action type this API knows`) };
    if (!this.isActive(record) || record.pending) return { ok: false, error: PENDING_EVENT };
    const action: ActionRecord = { id: this.nextActionId++, type: type as PowerAction, dropletId, region: record.region, startedAtMs: this.options.nowMs() };
    record.pending = action;
    this.actions.set(action.id, action);
    return { ok: true, action: this.renderAction(action) };
  }

  /** An action by id (of `dropletId` when given), as GET /v2/actions/{id} shows it. */
  action(actionId: number, dropletId?: number): Record<string, unknown> | undefined {
    const action = this.actions.get(actionId);
    if (!action || (dropletId !== undefined && action.dropletId !== dropletId)) return undefined;
    const record = this.droplets.get(action.dropletId);
    if (record) this.settle(record);
    return this.renderAction(action);
  }

  /** Completes the droplet's action once its time is up. */
  private settle(record: DropletRecord): void {
    const action = record.pending;
    const now = this.options.nowMs();
    if (!action || now - action.startedAtMs < this.options.msPerAction) return;
    action.completedAtMs = now;
    record.off = action.type !== 'power_on';
    delete record.pending;
  }

  private renderAction(action: ActionRecord): Record<string, unknown> {
    const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      id: action.id,
      status: action.completedAtMs === undefined ? 'in-progress' : 'completed',
      type: action.type,
      started_at: iso(action.startedAtMs),
      completed_at: action.completedAtMs === undefined ? null : iso(action.completedAtMs),
      resource_id: action.dropletId,
      resource_type: 'droplet',
      region: action.region,
      region_slug: action.region.slug,
    };
  }

  get count(): number {
    return this.droplets.size;
  }

  private isActive(record: DropletRecord): boolean {
    return record.polls >= this.options.pollsUntilActive || this.options.nowMs() - record.createdAtMs >= this.options.msUntilActive;
  }

  private render(record: DropletRecord): Record<string, unknown> {
    this.settle(record);
    const active = this.isActive(record);
    const octet = (record.id % 250) + 2;
    return {
      id: record.id,
      name: record.name,
      memory: record.size.memory,
      vcpus: record.size.vcpus,
      disk: record.size.disk,
      locked: !active || record.pending !== undefined,
      status: !active ? 'new' : record.off ? 'off' : 'active',
      kernel: null,
      created_at: new Date(record.createdAtMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      features: ['droplet_agent', 'private_networking'],
      backup_ids: [],
      next_backup_window: null,
      snapshot_ids: [],
      image: record.image,
      volume_ids: [],
      size: record.size,
      size_slug: record.size.slug,
      networks: {
        v4: active
          ? [
              { ip_address: `10.116.0.${octet}`, netmask: '255.255.240.0', gateway: '', type: 'private' },
              { ip_address: `203.0.113.${octet}`, netmask: '255.255.255.0', gateway: '203.0.113.1', type: 'public' },
            ]
          : [],
        v6: [],
      },
      region: record.region,
      tags: record.tags,
      vpc_uuid: '760e09ef-dc84-11e8-981e-3cfdfeaae000',
    };
  }
}
