import type { modules } from 'dots-wrapper';
import { AuthError, InvalidRequestError } from '../errors.js';
import type { RateBudgetListener } from '../resilience/index.js';
import { TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from '../types.js';
import type { Clock, CreateRequest, Instance, InstanceFilter, Provider, ProviderOffering, ProviderOp, RegionInfo } from '../types.js';
import { classifyDigitalOceanError, httpFailureOf, isNotFound, TOKEN_HINT } from './classify.js';
import { digitalOceanClient } from './client.js';
import type { DigitalOceanClient } from './client.js';
import { mismatchOf, dropletName } from './create-request.js';
import { imageParameter, instanceOf, regionOf } from './droplets.js';
import { imageSlugFor } from './image-slugs.js';
import { regionLocation } from './locations.js';
import { allPages } from './pages.js';
import { RateLimitGate, systemRateLimitTiming } from './rate-limit.js';
import type { RateLimitTiming } from './rate-limit.js';
import { offeringsOf } from './sizes.js';
import { machineTag, managedByTag, poolTag, tagsForRequest } from './tags.js';

export interface DigitalOceanProviderOptions {
  /** The Strategy's name for the account. */
  readonly account: string;
  /** A DigitalOcean API token (read and write). Never logged, never in an error. */
  readonly token: string;
  /** The API base URL; `/v2` is appended unless present. Default https://api.digitalocean.com/v2. */
  readonly endpoint?: string;
  /** Instance type → hourly price, consulted before the API's price_hourly. */
  readonly prices?: Readonly<Record<string, string>>;
  /** Clock and sleep of the rate-limit wait; default real time. */
  readonly rateLimitTiming?: RateLimitTiming;
  /** Longest wait for a spent rate-limit budget before a call fails Throttled instead. */
  readonly maxRateLimitWaitMs?: number;
  /** Told what every answer's ratelimit-* headers say of the budget, for the account's rate limiter. */
  readonly rateBudget?: RateBudgetListener;
  readonly requestTimeoutMs?: number;
  /** When offerings' prices were read (pricedAt); default real time. */
  readonly clock?: Clock;
}

/** DO's largest page; fewer round trips (and rate-limit budget) per listing. */
const PER_PAGE = 200;
const DEFAULT_TIMEOUT_MS = 30_000;

type Droplet = modules.droplet.IDroplet;

interface SdkResponse<T> {
  readonly data: T;
  readonly headers: object;
}

/**
 * One DigitalOcean account through dots-wrapper. DO has no zones: each region is its own single
 * zone, named like the region. Droplet ids are account-wide: get and delete reach a droplet in any
 * region, whatever regions a Strategy names. DO has no idempotency token either: create looks its
 * machine tag up first, so a retry after a crash finds the droplet the first call made; and looks
 * again after creating, so two creates of one key at the same instant settle on one droplet (the
 * oldest) and delete the other.
 */
export class DigitalOceanProvider implements Provider {
  readonly type = 'digitalocean';
  readonly account: string;
  private readonly client: DigitalOceanClient | undefined;
  private readonly prices: Readonly<Record<string, string>>;
  private readonly clock: Clock;
  private readonly gate: RateLimitGate;
  private readonly timing: RateLimitTiming;

  constructor(options: DigitalOceanProviderOptions) {
    this.account = options.account;
    this.client = options.token === '' ? undefined : digitalOceanClient(options.token, options.endpoint, options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.prices = options.prices ?? {};
    this.clock = options.clock ?? { now: () => new Date() };
    this.timing = options.rateLimitTiming ?? systemRateLimitTiming;
    this.gate = new RateLimitGate(this.account, this.timing, options.maxRateLimitWaitMs, options.rateBudget);
  }

  async regions(): Promise<RegionInfo[]> {
    const regions = await allPages((page) => this.call('regions', (c) => c.region.listRegions({ page, per_page: PER_PAGE })), (d) => d.regions);
    return regions.flatMap((r) => {
      const location = regionLocation(r.slug);
      return r.available && location ? [{ name: r.slug, zones: [r.slug], ...location }] : [];
    });
  }

  async offerings(region: string): Promise<ProviderOffering[]> {
    const sizes = await allPages((page) => this.call('offerings', (c) => c.size.listSizes({ page, per_page: PER_PAGE })), (d) => d.sizes);
    const offerings = offeringsOf(sizes, region, this.prices, this.clock.now().toISOString());
    if (offerings.length === 0 && !(await this.regions()).some((r) => r.name === region)) {
      throw new InvalidRequestError(`DigitalOcean has no region ${JSON.stringify(region)} open to this account`, this.account);
    }
    return offerings;
  }

  async image(region: string, os: string): Promise<string | undefined> {
    const slug = imageSlugFor(os);
    if (slug === undefined) return undefined;
    try {
      const { image } = await this.call('image', (c) => c.image.getImage({ slug }));
      return image.regions.includes(region) ? slug : undefined;
    } catch (e) {
      if (e instanceof NotFoundAnswer) return undefined;
      throw e;
    }
  }

  /** DigitalOcean sells no spot or preemptible Droplets: offerings are on demand only, and a spot create is refused. */
  async create(req: CreateRequest): Promise<Instance> {
    if (req.capacityType === 'spot') {
      throw new InvalidRequestError('DigitalOcean has no spot capacity: every Droplet is on demand (drop "spot" from capacityTypes for this account, or leave it and only the clouds that sell spot get it)', this.account);
    }
    if (req.zone !== req.region) {
      throw new InvalidRequestError(`DigitalOcean has no zones: zone ${JSON.stringify(req.zone)} must be the region ${JSON.stringify(req.region)}`, this.account);
    }
    const tags = tagsForRequest(req, this.account);
    const existing = await this.firstOfKey(req, undefined);
    if (existing) return this.adopt(existing, req);
    const { droplet } = await this.call('create', (c) =>
      c.droplet.createDroplet({
        name: dropletName(req),
        region: req.region,
        size: req.instanceType,
        image: imageParameter(req.image),
        tags,
        ...(req.userData === undefined ? {} : { user_data: req.userData }),
      }),
    );
    // Another create of this key may have slipped past the lookup at the same instant: the lowest
    // id wins, everywhere, so both callers return the same droplet and the other one is deleted.
    // Part of the create, awaited: if the look or a twin's delete fails, the create fails with it
    // (a ProviderError) and the caller's retry, which looks the machine tag up first, finishes the
    // settling — never a duplicate left running because its cleanup failed unseen.
    const first = (await this.firstOfKey(req, droplet)) ?? droplet;
    return first.id === droplet.id ? instanceOf(droplet, this.account, this.prices) : this.adopt(first, req);
  }

  /**
   * The oldest (lowest id) droplet tagged with req's (machineUid, attempt), `mine` included if
   * given; every younger twin is deleted, so a duplicate left by a race or a crash between two
   * creates does not outlive the next look.
   */
  private async firstOfKey(req: CreateRequest, mine: Droplet | undefined): Promise<Droplet | undefined> {
    const tagged = await this.listTagged('create', machineTag(req.machineUid, req.attempt));
    const all = [...tagged, ...(mine && !tagged.some((d) => d.id === mine.id) ? [mine] : [])].sort((a, b) => a.id - b.id);
    for (const twin of all.slice(1)) await this.delete(String(twin.id));
    return all[0];
  }

  private adopt(existing: Droplet, req: CreateRequest): Instance {
    const mismatch = mismatchOf(existing, req);
    if (mismatch !== undefined) {
      throw new InvalidRequestError(`machine ${req.machineUid} attempt ${req.attempt} already has droplet ${existing.id} with ${mismatch}; a new offering needs a new attempt`, this.account);
    }
    return instanceOf(existing, this.account, this.prices);
  }

  /** The droplet (any region); with `region`, only if it is in that region. */
  async get(instanceId: string, region?: string): Promise<Instance | undefined> {
    const droplet = await this.droplet(instanceId);
    return droplet === undefined || (region !== undefined && regionOf(droplet) !== region) ? undefined : instanceOf(droplet, this.account, this.prices);
  }

  /**
   * DigitalOcean has no lookup by many ids: one walk of the account's droplets, every page (200
   * each), keeps those asked for in `region`, however many ids there are.
   */
  async describe(region: string, ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return [];
    const wanted = new Set(ids);
    const droplets = await allPages((page) => this.call('describe', (c) => c.droplet.listDroplets({ page, per_page: PER_PAGE })), (d) => d.droplets);
    return droplets.map((d) => instanceOf(d, this.account, this.prices)).filter((i) => wanted.has(i.id) && i.region === region);
  }

  /**
   * Server side by one tag (DO filters by one per request): the pool tag when pool and namespace
   * are given, else managed-by; the machine (of every attempt: its tag holds the attempt, so it
   * cannot be the filter), the region and the rest here. Powered-off droplets are listed.
   */
  async list(filter: InstanceFilter): Promise<Instance[]> {
    const tag = filter.pool !== undefined && filter.namespace !== undefined ? poolTag(filter.namespace, filter.pool) : managedByTag(filter.managedBy);
    const droplets = await this.listTagged('list', tag);
    return droplets
      .filter((d) => filter.region === undefined || regionOf(d) === filter.region)
      .map((d) => instanceOf(d, this.account, this.prices))
      .filter(
        (i) =>
          i.state !== 'terminated' &&
          i.tags[TAG_MANAGED_BY] === filter.managedBy &&
          (filter.pool === undefined || i.tags[TAG_POOL] === filter.pool) &&
          (filter.namespace === undefined || i.tags[TAG_NAMESPACE] === filter.namespace) &&
          (filter.machineUid === undefined || i.tags[TAG_MACHINE] === filter.machineUid),
      );
  }

  /**
   * DELETE /v2/droplets/{id}, in any status: an `off` droplet is destroyed as an active one is
   * (DO needs no power-off first). With `region`, the droplet is read first and left alone when it
   * is in another region.
   */
  async delete(instanceId: string, region?: string): Promise<void> {
    const id = dropletId(instanceId);
    if (id === undefined) return;
    if (region !== undefined) {
      const droplet = await this.droplet(instanceId);
      if (droplet === undefined || regionOf(droplet) !== region) return;
    }
    try {
      await this.call('delete', (c) => c.droplet.deleteDroplet({ droplet_id: id }));
    } catch (e) {
      if (!(e instanceof NotFoundAnswer)) throw e;
    }
  }

  /** The droplet, or undefined if there is none of that id. */
  private async droplet(instanceId: string): Promise<Droplet | undefined> {
    const id = dropletId(instanceId);
    if (id === undefined) return undefined;
    try {
      return (await this.call('get', (c) => c.droplet.getDroplet({ droplet_id: id }))).droplet;
    } catch (e) {
      if (e instanceof NotFoundAnswer) return undefined;
      throw e;
    }
  }

  private listTagged(op: ProviderOp, tag: string) {
    return allPages((page) => this.call(op, (c) => c.droplet.listDroplets({ page, per_page: PER_PAGE, tag_name: tag })), (d) => d.droplets);
  }

  /**
   * One SDK call: waits out a spent rate-limit budget, records what the answer says of the budget,
   * and classifies a failure. A 404 of get/delete/image leaves as NotFoundAnswer for them to read;
   * any other failure as a ProviderError. The SDK's error never leaves: it holds the token.
   */
  private async call<T>(op: ProviderOp, send: (client: DigitalOceanClient) => Promise<SdkResponse<T>>): Promise<T> {
    if (this.client === undefined) {
      throw new AuthError(`the account has no DigitalOcean token (credential key "token"); ${TOKEN_HINT}`, this.account);
    }
    await this.gate.beforeCall(op);
    try {
      const response = await send(this.client);
      this.gate.observe(response.headers);
      return response.data;
    } catch (e) {
      this.gate.observe(httpFailureOf(e)?.headers);
      if (isNotFound(e) && (op === 'get' || op === 'delete' || op === 'image')) throw new NotFoundAnswer();
      throw classifyDigitalOceanError(e, op, this.account, this.timing.nowMs());
    }
  }
}

/** DigitalOcean answered 404: no such droplet or image, which get, delete and image() expect. */
class NotFoundAnswer extends Error {
  constructor() {
    super('DigitalOcean answered 404');
    this.name = 'NotFoundAnswer';
  }
}

/** The droplet id in `instanceId`, or undefined if it cannot be one (so no droplet has it). */
function dropletId(instanceId: string): number | undefined {
  return /^[1-9][0-9]{0,15}$/.test(instanceId) ? Number(instanceId) : undefined;
}
