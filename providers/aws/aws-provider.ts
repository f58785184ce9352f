import { DescribeAvailabilityZonesCommand, DescribeRegionsCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { AuthError, InvalidRequestError, isProviderError } from '../errors.js';
import { TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from '../types.js';
import type { Clock, CreateRequest, Instance, InstanceFilter, Provider, ProviderOffering, RegionInfo } from '../types.js';
import { classify } from './classify.js';
import { RegionClients, credentialsFrom } from './clients.js';
import { assertSameRequest, findMadeBy, imageForArch, runInstance } from './create-instance.js';
import { LIVE_STATES, describeAll, describeOne, isNotFound } from './describe-instances.js';
import { newestImage } from './images.js';
import { toInstance } from './instances.js';
import type { InstanceContext } from './instances.js';
import { archOfType, describeOfferings, describeTypes } from './offerings.js';
import { LivePrices, zoneSpotKey } from '../pricing/index.js';
import type { PriceBook, RegionPrices } from '../pricing/index.js';
import { pricingClient, readRegionPrices } from './price-list-query.js';
import { PRICE_TABLE } from './price-table.js';
import type { PriceTable } from './price-table.js';
import { regionLocation } from './region-locations.js';
import { readSpotPrices, spotOfferings, spotPriceBook } from './spot-prices.js';

/** How long spot prices are used before DescribeSpotPriceHistory is asked again: they move more often than list prices. */
export const SPOT_PRICE_TTL_MS = 60 * 60 * 1000;

export interface AwsProviderOptions {
  /** The Strategy's name for the account. */
  readonly account: string;
  /** accessKeyId, secretAccessKey, optional sessionToken; none → the SDK's default chain. */
  readonly credentials?: Readonly<Record<string, string>>;
  /** The EC2 API base URL (account.endpoint), for every region. */
  readonly endpoint?: string;
  /** The regions the account may use (account.regions); absent or empty: every enabled region. */
  readonly regions?: readonly string[];
  /** Hourly prices by instance type (account.prices), consulted before the shipped table. */
  readonly prices?: Readonly<Record<string, string>>;
  /** DescribeInstances page size of list() (EC2 accepts 5–1000). */
  readonly pageSize?: number;
  /** The fallback when the Price List Query API cannot be read and nothing is cached; default the shipped table. */
  readonly priceTable?: PriceTable;
  /** The Price List Query API base URL; default `endpoint` (a proxy or test server serving both), else AWS's. */
  readonly pricingEndpoint?: string;
  /** How long one Price List request may take before the fallback serves (default 20 s). */
  readonly pricingTimeoutMs?: number;
  /** How long prices read from the Price List are used before they are read again (default 6 h). */
  readonly priceTtlMs?: number;
  /** Where read prices outlive the process. */
  readonly priceBook?: PriceBook;
  /** Told when a Price List read failed and cached or table prices were used instead. */
  readonly onPriceError?: (region: string, err: unknown) => void;
  readonly clock?: Clock;
}

/** Where the account's region list is asked for: a region every commercial account has. */
const HOME_REGION = 'us-east-1';

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-4, … */
const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The most values EC2 takes in one DescribeInstances filter. */
const DESCRIBE_IDS_PER_CALL = 200;

/** An EC2 account: every Provider call maps to EC2 Query API calls of one or all its regions. */
export class AwsProvider implements Provider {
  readonly type = 'aws';
  readonly account: string;
  private readonly clients: RegionClients;
  private readonly credentialProblem: string | undefined;
  private readonly accessKeyId: string | undefined;
  private regionList: Promise<RegionInfo[]> | undefined;
  /** Instance id → region, of instances this provider made or saw; bounded by what one account runs. */
  private readonly regionOf = new Map<string, string>();
  private readonly prices: LivePrices;
  /** Region → zoneSpotKey(type, zone) → spot price, kept in the price book beside on-demand ones; no shipped fallback: without an answer there are no spot offerings. */
  private readonly spotPrices: LivePrices;
  /** Region → the types whose spot prices are read: those offered on demand. */
  private readonly spotTypes = new Map<string, readonly string[]>();
  /** Region → instance type → what DescribeInstanceTypes said of it, which does not change. */
  private readonly typeInfo = new Map<string, Map<string, InstanceTypeInfo>>();

  constructor(private readonly options: AwsProviderOptions) {
    this.account = options.account;
    const creds = credentialsFrom(options.credentials ?? {});
    this.credentialProblem = creds.kind === 'incomplete' ? creds.missing : undefined;
    this.accessKeyId = creds.kind === 'static' ? creds.credentials.accessKeyId : undefined;
    this.clients = new RegionClients({
      ...(creds.kind === 'static' ? { credentials: creds.credentials } : {}),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
    const pricingEndpoint = options.pricingEndpoint ?? options.endpoint;
    const pricing = pricingClient({
      ...(creds.kind === 'static' ? { credentials: creds.credentials } : {}),
      ...(pricingEndpoint === undefined ? {} : { endpoint: pricingEndpoint }),
      ...(options.pricingTimeoutMs === undefined ? {} : { timeoutMs: options.pricingTimeoutMs }),
    });
    const table: PriceTable['regions'] = (options.priceTable ?? PRICE_TABLE).regions;
    this.prices = new LivePrices({
      read: (region) => this.call(`GetProducts of EC2 in ${region}`, () => readRegionPrices(pricing, region)),
      table: (region) => (Object.hasOwn(table, region) ? (table[region] ?? {}) : {}),
      tableRefreshed: (options.priceTable ?? PRICE_TABLE).refreshed,
      clock: options.clock ?? { now: () => new Date() },
      ...(options.priceTtlMs === undefined ? {} : { ttlMs: options.priceTtlMs }),
      ...(options.priceBook === undefined ? {} : { book: options.priceBook }),
      ...(options.onPriceError === undefined ? {} : { onError: options.onPriceError }),
    });
    const clock = options.clock ?? { now: () => new Date() };
    this.spotPrices = new LivePrices({
      read: (region) => this.inRegion(region, `DescribeSpotPriceHistory in ${region}`, (client) => readSpotPrices(client, this.spotTypes.get(region) ?? [], clock.now())),
      table: () => ({}),
      tableRefreshed: '1970-01-01',
      clock,
      ttlMs: Math.min(SPOT_PRICE_TTL_MS, options.priceTtlMs ?? SPOT_PRICE_TTL_MS),
      ...(options.priceBook === undefined ? {} : { book: spotPriceBook(options.priceBook) }),
      ...(options.onPriceError === undefined ? {} : { onError: (region: string, err: unknown) => options.onPriceError?.(region, err) }),
    });
  }

  /** Resolves once background price reads are done (tests, shutdown). */
  async pricesSettled(): Promise<void> {
    await Promise.all([this.prices.settled(), this.spotPrices.settled()]);
  }

  regions(): Promise<RegionInfo[]> {
    return this.call('DescribeRegions', async () => {
      // Regions and zones do not change while a process lives; a failed read is not kept.
      this.regionList ??= this.readRegions().catch((err: unknown) => {
        this.regionList = undefined;
        throw err;
      });
      return this.regionList;
    });
  }

  /** The region's types with a price: the account's own, else the Price List's (cached), else the shipped table's. */
  offerings(region: string): Promise<ProviderOffering[]> {
    return this.inRegion(region, `DescribeInstanceTypeOfferings in ${region}`, async (client) => {
      const regional = await this.prices.forRegion(region);
      const own = this.options.prices ?? {};
      let known = this.typeInfo.get(region);
      if (known === undefined) {
        known = new Map();
        this.typeInfo.set(region, known);
      }
      const offerings = await describeOfferings(client, [...new Set([...Object.keys(own), ...Object.keys(regional.prices)])], (type) => priceIn(own, regional, type), known);
      const onDemand = offerings.map((o) => (Object.hasOwn(own, o.instanceType) ? { ...o, priceSource: 'override' as const } : { ...o, priceSource: regional.source, pricedAt: regional.fetchedAt }));
      this.spotTypes.set(region, onDemand.map((o) => o.instanceType));
      const spot = await this.spotPrices.forRegion(region);
      const spotOrigin = spot.source === 'api' ? { priceSource: 'api' as const, pricedAt: spot.fetchedAt } : {};
      return [...onDemand, ...spotOfferings(onDemand, spot.prices).map((o) => ({ ...o, ...spotOrigin }))];
    });
  }

  image(region: string, os: string): Promise<string | undefined> {
    return this.inRegion(region, `DescribeImages of ${os} in ${region}`, async (client) => (await newestImage(client, os, 'amd64'))?.ImageId);
  }

  create(req: CreateRequest): Promise<Instance> {
    return this.inRegion(req.region, `RunInstances ${req.instanceType} in ${req.zone}`, async (client) => {
      const earlier = await findMadeBy(client, req);
      if (earlier !== undefined) {
        assertSameRequest(earlier, req, this.account);
        return this.toInstance(earlier, req.region);
      }
      const [info] = await describeTypes(client, [req.instanceType]);
      const arch = info === undefined ? undefined : archOfType(info);
      if (arch === undefined) throw new InvalidRequestError(`instance type ${req.instanceType} is not one EC2 offers in ${req.region} for amd64 or arm64`, this.account);
      const made = await runInstance(client, req, await imageForArch(client, req.image, arch, this.account));
      if (made === undefined) throw new InvalidRequestError(`RunInstances of machine ${req.machineUid} returned no instance`, this.account);
      return this.toInstance(made, req.region);
    });
  }

  async get(instanceId: string, region?: string): Promise<Instance | undefined> {
    return (await this.locate(instanceId, region))?.instance;
  }

  /**
   * DescribeInstances filtered on instance-id rather than InstanceIds, which fails the whole call
   * for one id EC2 does not know; EC2 takes up to 200 values per filter, so 200 ids per batch, each
   * over every page.
   */
  describe(region: string, ids: readonly string[]): Promise<Instance[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.inAnyRegion(region, `DescribeInstances of ${ids.length} instances`, async (client) => {
      const found: Instance[] = [];
      for (let start = 0; start < ids.length; start += DESCRIBE_IDS_PER_CALL) {
        const batch = ids.slice(start, start + DESCRIBE_IDS_PER_CALL);
        for (const i of await describeAll(client, [{ Name: 'instance-id', Values: batch }], this.options.pageSize ?? 1000)) found.push(this.toInstance(i, region));
      }
      return found;
    });
  }

  /** Every region of the account, or `filter.region` alone, which EC2 knows even when the account no longer uses it. */
  list(filter: InstanceFilter): Promise<Instance[]> {
    const filters = [
      { Name: `tag:${TAG_MANAGED_BY}`, Values: [filter.managedBy] },
      ...(filter.pool === undefined ? [] : [{ Name: `tag:${TAG_POOL}`, Values: [filter.pool] }]),
      ...(filter.namespace === undefined ? [] : [{ Name: `tag:${TAG_NAMESPACE}`, Values: [filter.namespace] }]),
      ...(filter.machineUid === undefined ? [] : [{ Name: `tag:${TAG_MACHINE}`, Values: [filter.machineUid] }]),
      { Name: 'instance-state-name', Values: LIVE_STATES },
    ];
    const read = async (client: EC2Client, region: string): Promise<Instance[]> =>
      (await describeAll(client, filters, this.options.pageSize ?? 1000)).flatMap((i) => {
        const instance = toInstance(i, this.instanceContext(region));
        return instance === undefined ? [] : [instance];
      });
    if (filter.region !== undefined) return this.inAnyRegion(filter.region, 'DescribeInstances', (client, r) => read(client, r));
    return this.inEveryRegion('DescribeInstances', read);
  }

  /** Terminates a running or stopped instance (TerminateInstances takes both); a terminated or missing one is left as it is. */
  async delete(instanceId: string, region?: string): Promise<void> {
    const found = await this.locate(instanceId, region);
    if (found === undefined || found.instance.state === 'terminated') return;
    await this.inAnyRegion(found.region, `TerminateInstances ${instanceId}`, (client) => terminate(client, instanceId));
  }

  private async readRegions(): Promise<RegionInfo[]> {
    const wanted = this.options.regions ?? [];
    const home = this.clients.for(wanted[0] ?? HOME_REGION);
    const all = (await home.send(new DescribeRegionsCommand({}))).Regions ?? [];
    const names = all.flatMap((r) => (r.RegionName === undefined ? [] : [r.RegionName])).filter((n) => wanted.length === 0 || wanted.includes(n));
    const regions = await Promise.all(names.map((name) => this.readRegion(name)));
    return regions.flatMap((r) => (r === undefined ? [] : [r]));
  }

  private async readRegion(name: string): Promise<RegionInfo | undefined> {
    const location = regionLocation(name);
    if (location === undefined) return undefined;
    const out = await this.clients.for(name).send(new DescribeAvailabilityZonesCommand({}));
    // Local and Wavelength zones are opt-in and offer few types; a pool spreads over the region's own zones.
    const zones = (out.AvailabilityZones ?? []).filter((z) => z.State === 'available' && (z.ZoneType ?? 'availability-zone') === 'availability-zone').flatMap((z) => (z.ZoneName === undefined ? [] : [z.ZoneName]));
    return zones.length === 0 ? undefined : { name, zones: zones.sort(), ...location };
  }

  /** An instance of a type without a price (made outside polyfleet's offerings) shows 0, not a guess. */
  private instanceContext(region: string): InstanceContext {
    return {
      account: this.account,
      region,
      priceOf: (type) => priceIn(this.options.prices ?? {}, this.prices.peek(region), type) ?? '0',
      spotPriceOf: (type, zone) => this.spotPrices.peek(region).prices[zoneSpotKey(type, zone)] ?? '0',
    };
  }

  private toInstance(i: Parameters<typeof toInstance>[0], region: string): Instance {
    const instance = toInstance(i, this.instanceContext(region));
    if (instance === undefined) throw new InvalidRequestError(`EC2 returned an instance without an id in ${region}`, this.account);
    this.regionOf.set(instance.id, region);
    return instance;
  }

  /**
   * The region and state of `id`. An EC2 instance id does not say its region: `region` alone when
   * the caller knows it (any region EC2 has, configured for the account or not), else the one this
   * provider last saw it in (a controller polls get on its own creates), else every region at once.
   */
  private async locate(id: string, region?: string): Promise<{ region: string; instance: Instance } | undefined> {
    const describeIn = async (r: string): Promise<{ region: string; instance: Instance } | undefined> => {
      const i = await this.inAnyRegion(r, `DescribeInstances ${id}`, (client) => describeOne(client, id));
      return i === undefined ? undefined : { region: r, instance: this.toInstance(i, r) };
    };
    if (region !== undefined) return describeIn(region);
    const known = this.regionOf.get(id);
    const inKnown = known === undefined ? undefined : await describeIn(known);
    if (inKnown !== undefined) return inKnown;
    const found = await this.inEveryRegion(`DescribeInstances ${id}`, async (client, r) => {
      const i = await describeOne(client, id);
      return i === undefined ? [] : [{ region: r, instance: this.toInstance(i, r) }];
    });
    return found[0];
  }

  private async inEveryRegion<T>(action: string, fn: (client: EC2Client, region: string) => Promise<T[]>): Promise<T[]> {
    const regions = await this.regions();
    const each = await Promise.all(regions.map((r) => this.call(`${action} in ${r.name}`, () => fn(this.clients.for(r.name), r.name))));
    return each.flat();
  }

  /**
   * One region by name, configured for the account or not: an instance outlives its region's removal
   * from a Strategy and must still be found and deleted there. Only a well-formed name reaches the SDK.
   */
  private async inAnyRegion<T>(region: string, action: string, fn: (client: EC2Client, region: string) => Promise<T>): Promise<T> {
    if (!REGION_NAME.test(region)) throw new InvalidRequestError(`${JSON.stringify(region)} is not an AWS region name (such as us-east-1)`, this.account);
    return this.call(`${action} in ${region}`, () => fn(this.clients.for(region), region));
  }

  /** One of the account's configured regions, for what only those may do: creates, offerings, images. */
  private async inRegion<T>(region: string, action: string, fn: (client: EC2Client) => Promise<T>): Promise<T> {
    const regions = await this.regions();
    if (!regions.some((r) => r.name === region)) {
      throw new InvalidRequestError(`region ${region} is not one this account may use (${regions.map((r) => r.name).join(', ')})`, this.account);
    }
    return this.call(action, () => fn(this.clients.for(region)));
  }

  /** Runs one EC2 exchange, turning whatever it throws into a ProviderError. */
  private async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    if (this.credentialProblem !== undefined) {
      throw new AuthError(`the account's credentials have no ${this.credentialProblem} (give accessKeyId and secretAccessKey together, or neither for the SDK's default chain)`, this.account);
    }
    try {
      return await fn();
    } catch (err) {
      if (isProviderError(err)) throw err;
      throw classify(err, { account: this.account, action, now: (this.options.clock?.now() ?? new Date()).getTime(), ...(this.accessKeyId === undefined ? {} : { accessKeyId: this.accessKeyId }) });
    }
  }
}

function priceIn(own: Readonly<Record<string, string>>, regional: RegionPrices, type: string): string | undefined {
  if (Object.hasOwn(own, type)) return own[type];
  return Object.hasOwn(regional.prices, type) ? regional.prices[type] : undefined;
}

async function terminate(client: EC2Client, instanceId: string): Promise<void> {
  try {
    await client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  } catch (err) {
    // Gone between the look-up and the call: what delete wanted.
    if (!isNotFound(err)) throw err;
  }
}
