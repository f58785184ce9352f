import type { ProviderAccount } from '../../api/index.js';
import type { ProviderObserver } from '../resilience/index.js';
import type { ProviderError } from '../errors.js';
import { InvalidRequestError, isProviderError, TransientError } from '../errors.js';
import type { Clock, CreateRequest, Instance, InstanceFilter, Provider, ProviderOffering, RegionInfo } from '../types.js';
import { isNotFound } from './classify.js';
import { CALL, connect } from './clients.js';
import type { GceConnection } from './clients.js';
import { gceCall } from './context.js';
import type { GceContext } from './context.js';
import { createInstance } from './create.js';
import { familyUrl, imageFamily } from './images.js';
import { DeleteMarks } from './delete-marks.js';
import { deleteInstance, observed, readInstance } from './deleting.js';
import { regionOfZone } from './instances.js';
import { describeInstances, listInstances } from './list.js';
import { preemptedAmong, withPreemptions } from './preemptions.js';
import { regionLocation } from './locations.js';
import { mergeZones, offeringOf } from './machine-types.js';
import { lastSegment, parseInstanceId } from './names.js';
import { LivePrices, spotKey } from '../pricing/index.js';
import type { PriceBook } from '../pricing/index.js';
import type { MachineTypeFields } from './machine-types.js';
import { GCE_PRICE_TABLE } from './price-table.js';
import type { GcePriceTable } from './price-table.js';
import { readGcePrices, tableRecord } from './prices.js';

export interface GcpProviderOptions extends GceConnection {
  /** Hourly prices by machine type, consulted before the shipped table. */
  readonly prices?: Readonly<Record<string, string>>;
  /** maxResults of list calls; GCE's default and maximum is 500. */
  readonly pageSize?: number;
  /** How long create waits for its insert operation (default 3 minutes). */
  readonly operationTimeoutMs?: number;
  readonly clock?: Clock;
  /** The Cloud Billing Catalog API base URL; default `endpoint` (a proxy or test server serving both), else Google's. */
  readonly pricingEndpoint?: string;
  /** The fallback when the catalog cannot be read and nothing is cached; default the shipped table. */
  readonly priceTable?: GcePriceTable;
  /** How long prices read from the catalog are used before they are read again (default 6 h). */
  readonly priceTtlMs?: number;
  /** Where read prices outlive the process. */
  readonly priceBook?: PriceBook;
  /** Told when a catalog read failed and cached or table prices were used instead. */
  readonly onPriceError?: (region: string, err: unknown) => void;
}

const REGIONS_TTL_MS = 5 * 60_000;

/** A Google Compute Engine project as a Provider (see providers/types.ts for each method's contract). */
export class GcpProvider implements Provider {
  readonly type = 'gcp';
  readonly account: string;
  private readonly setup: GceContext | ProviderError;
  private regionList: { readonly at: number; readonly regions: Promise<RegionInfo[]> } | undefined;
  private readonly prices: LivePrices;
  /** Region → the machine types its zones list, which the catalog's rates price. */
  private readonly typesOf = new Map<string, readonly MachineTypeFields[]>();

  constructor(private readonly options: GcpProviderOptions) {
    this.account = options.account;
    const table = options.priceTable ?? GCE_PRICE_TABLE;
    this.prices = new LivePrices({
      read: (region) => readGcePrices(this.context().clients, region, this.typesOf.get(region) ?? []),
      table: (region) => tableRecord(table, region),
      tableRefreshed: table.refreshed,
      clock: options.clock ?? { now: () => new Date() },
      ...(options.priceTtlMs === undefined ? {} : { ttlMs: options.priceTtlMs }),
      ...(options.priceBook === undefined ? {} : { book: options.priceBook }),
      ...(options.onPriceError === undefined ? {} : { onError: options.onPriceError }),
    });
    this.setup = contextFor(options, (region, type) => this.prices.peek(region).prices[type]);
  }

  /** Resolves once background price reads are done (tests, shutdown). */
  pricesSettled(): Promise<void> {
    return this.prices.settled();
  }

  /** Read at most every REGIONS_TTL_MS: offerings() needs them per call, and a zone may go DOWN or come back. */
  async regions(): Promise<RegionInfo[]> {
    const ctx = this.context();
    if (this.regionList === undefined || ctx.now() - this.regionList.at >= REGIONS_TTL_MS) {
      const read = { at: ctx.now(), regions: listRegions(ctx) };
      this.regionList = read;
      read.regions.catch(() => {
        if (this.regionList === read) this.regionList = undefined;
      });
    }
    return this.regionList.regions;
  }

  async offerings(region: string): Promise<ProviderOffering[]> {
    const ctx = this.context();
    const found = (await this.regions()).find((r) => r.name === region);
    if (found === undefined) throw new InvalidRequestError(`region ${JSON.stringify(region)} is not a region of project ${ctx.clients.project}`, ctx.account);
    const perZone = await Promise.all(found.zones.map((zone) => zoneTypes(ctx, zone)));
    this.typesOf.set(region, uniqueTypes(perZone.flat().map((t) => t.type)));
    const regional = await this.prices.forRegion(region);
    const own = this.options.prices ?? {};
    const origin = { priceSource: regional.source, pricedAt: regional.fetchedAt };
    const onDemand = perZone.flat().flatMap(({ type, zone }) => {
      const name = type.name ?? '';
      const overridden = Object.hasOwn(own, name);
      const price = overridden ? own[name] : regional.prices[name];
      const offering = price === undefined ? undefined : offeringOf(type, zone, price);
      if (offering === undefined) return [];
      return [overridden ? { ...offering, priceSource: 'override' as const } : { ...offering, ...origin }];
    });
    // Spot VMs of the same types, at the catalog's Spot price; the account's prices are on-demand ones.
    const spot = perZone.flat().flatMap(({ type, zone }) => {
      const price = regional.prices[spotKey(type.name ?? '')];
      const offering = price === undefined ? undefined : offeringOf(type, zone, price);
      return offering === undefined ? [] : [{ ...offering, ...origin, capacityType: 'spot' as const }];
    });
    return [...mergeZones(onDemand), ...mergeZones(spot)];
  }

  async image(_region: string, os: string): Promise<string | undefined> {
    const ctx = this.context();
    const family = imageFamily(os);
    if (family === undefined) return undefined;
    return gceCall(ctx, `images.getFromFamily ${family.project}/${family.family}`, async () => {
      try {
        const [image] = await ctx.clients.images.getFromFamily({ project: family.project, family: family.family }, CALL);
        return image.selfLink ? familyUrl(image.selfLink, family.family) : undefined;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    });
  }

  async create(req: CreateRequest): Promise<Instance> {
    return createInstance(this.context(), req);
  }

  /**
   * The id (zone/name) says where the instance is, in a region the Strategy names or not, and
   * instances.get asks that zone alone. With `region`, only that region is asked: an id of a zone
   * elsewhere is no instance there.
   */
  async get(instanceId: string, region?: string): Promise<Instance | undefined> {
    const ctx = this.context();
    const id = parseInstanceId(instanceId);
    if (id === undefined || !inRegion(id.zone, region)) return undefined;
    const found = await readInstance(ctx, id.zone, id.name);
    const [instance] = found === undefined ? await preemptedAmong(ctx, [instanceId]) : await withPreemptions(ctx, [observed(ctx, found)]);
    return instance;
  }

  /** As listed, and those Compute Engine preempted and so deleted as `terminated`, reclaimed (preemptions.ts). */
  async describe(region: string, ids: readonly string[]): Promise<Instance[]> {
    const ctx = this.context();
    const found = await withPreemptions(ctx, await describeInstances(ctx, region, ids));
    const seen = new Set(found.map((i) => i.id));
    const missing = ids.filter((id) => !seen.has(id) && inRegion(parseInstanceId(id)?.zone ?? '', region));
    return missing.length === 0 ? found : [...found, ...(await preemptedAmong(ctx, missing))];
  }

  async list(filter: InstanceFilter): Promise<Instance[]> {
    const ctx = this.context();
    return withPreemptions(ctx, await listInstances(ctx, filter));
  }

  /** Deletes the instance, stopped or running (deleting.ts); `region` as for get. */
  async delete(instanceId: string, region?: string): Promise<void> {
    const ctx = this.context();
    const id = parseInstanceId(instanceId);
    if (id === undefined || !inRegion(id.zone, region)) return;
    await deleteInstance(ctx, id.zone, id.name);
  }

  /** The account's context, or the configuration error every call rejects with (no project, a bad key). */
  private context(): GceContext {
    if (isProviderError(this.setup)) throw this.setup;
    return this.setup;
  }
}

function contextFor(options: GcpProviderOptions, livePrice: (region: string, type: string) => string | undefined): GceContext | ProviderError {
  try {
    const clock = options.clock;
    const now = clock === undefined ? () => Date.now() : () => clock.now().getTime();
    return {
      account: options.account,
      clients: connect(options, { endpoint: options.pricingEndpoint, now }),
      price: (region, type) => options.prices?.[type] ?? livePrice(region, type) ?? '0',
      pageSize: options.pageSize ?? 500,
      operationTimeoutMs: options.operationTimeoutMs ?? 180_000,
      now,
      deleting: new DeleteMarks(now),
    };
  } catch (e) {
    if (isProviderError(e)) return e;
    return new TransientError(`could not set up the Compute Engine clients: ${e instanceof Error ? e.name : 'unknown error'}`, options.account);
  }
}

/** Whether `zone` is of `region`, or no region was asked. */
function inRegion(zone: string, region: string | undefined): boolean {
  return region === undefined || regionOfZone(zone) === region;
}

/** Zones that are UP: a region lists its zones whatever their state, and a DOWN zone takes no creates. */
async function upZones(ctx: GceContext): Promise<Set<string>> {
  return gceCall(ctx, 'zones.list', async () => {
    const up = new Set<string>();
    for await (const zone of ctx.clients.zones.listAsync({ project: ctx.clients.project, maxResults: ctx.pageSize }, CALL)) {
      if (zone.name && zone.status === 'UP') up.add(zone.name);
    }
    return up;
  });
}

async function listRegions(ctx: GceContext): Promise<RegionInfo[]> {
  const up = await upZones(ctx);
  return gceCall(ctx, 'regions.list', async () => {
    const regions: RegionInfo[] = [];
    for await (const region of ctx.clients.regions.listAsync({ project: ctx.clients.project, maxResults: ctx.pageSize }, CALL)) {
      const location = regionLocation(region.name ?? '');
      const zones = (region.zones ?? []).map(lastSegment).filter((z) => up.has(z));
      if (location !== undefined && region.name && region.status === 'UP' && zones.length > 0) regions.push({ name: region.name, zones, ...location });
    }
    return regions;
  });
}

/** The machine types of a zone, each with the zone. */
async function zoneTypes(ctx: GceContext, zone: string): Promise<{ readonly type: MachineTypeFields; readonly zone: string }[]> {
  return gceCall(ctx, `machineTypes.list in ${zone}`, async () => {
    const types: { type: MachineTypeFields; zone: string }[] = [];
    for await (const type of ctx.clients.machineTypes.listAsync({ project: ctx.clients.project, zone, maxResults: ctx.pageSize }, CALL)) types.push({ type, zone });
    return types;
  });
}

/** One of each machine type name (zones list the same types). */
function uniqueTypes(types: readonly MachineTypeFields[]): MachineTypeFields[] {
  return [...new Map(types.map((t) => [t.name ?? '', t])).values()];
}

/** The registry's factory: a Strategy's gcp account, its credentials, and the process's clock. */
export function gcpProviderFor(account: ProviderAccount, credentials: Readonly<Record<string, string>>, options: { readonly clock?: Clock; readonly priceBook?: PriceBook; readonly priceTtlMs?: number; readonly observer?: ProviderObserver | undefined }): GcpProvider {
  const observer = options.observer;
  return new GcpProvider({
    account: account.name,
    credentials,
    ...(account.project === undefined ? {} : { project: account.project }),
    ...(account.endpoint === undefined ? {} : { endpoint: account.endpoint }),
    ...(account.prices === undefined ? {} : { prices: account.prices }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.priceBook === undefined ? {} : { priceBook: options.priceBook }),
    ...(options.priceTtlMs === undefined ? {} : { priceTtlMs: options.priceTtlMs }),
    ...(observer?.priceReadFailed === undefined
      ? {}
      : { onPriceError: (region: string, err: unknown) => observer.priceReadFailed?.({ provider: 'gcp', account: account.name, region, reason: err instanceof Error ? err.message : String(err) }) }),
  });
}
