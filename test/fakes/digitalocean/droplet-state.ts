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
}

export interface DropletStateOptions {
  readonly nowMs: () => number;
  readonly pollsUntilActive: number;
  readonly msUntilActive: number;
  readonly dropletLimit: number;
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
  private nextId = 3164444;

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
    const record: DropletRecord = { id: this.nextId++, name, region, size, image, tags: [...new Set(canonical)], createdAtMs: this.options.nowMs(), polls: 0, ...(userData === undefined ? {} : { userData }) };
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

  get count(): number {
    return this.droplets.size;
  }

  private isActive(record: DropletRecord): boolean {
    return record.polls >= this.options.pollsUntilActive || this.options.nowMs() - record.createdAtMs >= this.options.msUntilActive;
  }

  private render(record: DropletRecord): Record<string, unknown> {
    const active = this.isActive(record);
    const octet = (record.id % 250) + 2;
    return {
      id: record.id,
      name: record.name,
      memory: record.size.memory,
      vcpus: record.size.vcpus,
      disk: record.size.disk,
      locked: !active,
      status: active ? 'active' : 'new',
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
