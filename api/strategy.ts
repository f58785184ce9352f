import { z } from 'zod';
import { Conditions } from './condition.js';
import { API_VERSION } from './group.js';
import { DNS_LABEL, ObjectMeta, ObjectName } from './meta.js';
import { money, moneyToMicros } from './quantities.js';
import { withRules } from './rules.js';

export const PICKS = ['first', 'random', 'cheapest', 'priciest'] as const;
export const PROVIDER_TYPES = ['aws', 'gcp', 'digitalocean', 'sim'] as const;
export const ARCHES = ['amd64', 'arm64'] as const;
export const CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;
/** Where an offering's price came from: the cloud's pricing API, the table polyfleet ships, the account's own `prices`. */
export const PRICE_SOURCES = ['api', 'table', 'override'] as const;
/** How an instance is bought: on demand, or spot/preemptible (cheaper, and the cloud may reclaim it at any time). */
export const CAPACITY_TYPES = ['on-demand', 'spot'] as const;
export const CapacityType = z.enum(CAPACITY_TYPES);
export type CapacityType = z.infer<typeof CapacityType>;

/** A credential's key, as the adapter reads it: accessKeyId, token, serviceAccountKey. */
export const CREDENTIAL_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
/** ${env.VAR} or ${file:PATH}: where a standalone credential comes from. */
export const CREDENTIAL_REFERENCE = /^\$\{(env\.[A-Za-z_][A-Za-z0-9_]*|file:[^}]+)\}$/;

const Region = z.string().min(1).max(63).describe('A region name as the provider spells it, e.g. us-east-1 or nyc3.');

/** A calls-per-second rate of one account; the message names the value, the path names the field. */
const perSecond = (description: string) =>
  z
    .number({ error: (iss) => `must be a number of calls per second, not ${JSON.stringify(iss.input)}` })
    .min(0.001, { error: (iss) => `must be at least 0.001 calls per second (one in about 17 minutes), not ${String(iss.input)}` })
    .max(10_000, { error: (iss) => `must be at most 10000 calls per second, not ${String(iss.input)}` })
    .optional()
    .describe(description);

/** A burst: how many calls may go out at once after a quiet spell. */
const burst = (description: string) =>
  z
    .int({ error: (iss) => `must be a whole number of calls, not ${JSON.stringify(iss.input)}` })
    .min(1, { error: (iss) => `must be at least 1 call, not ${String(iss.input)}` })
    .max(100_000, { error: (iss) => `must be at most 100000 calls, not ${String(iss.input)}` })
    .optional()
    .describe(description);

export const RateLimit = z
  .strictObject({
    readsPerSecond: perSecond('Reads (regions, offerings, images, get, list) sent per second on average.'),
    readBurst: burst('Reads that may go out at once after a quiet spell.'),
    writesPerSecond: perSecond('Creates and deletes sent per second on average; they never wait behind reads.'),
    writeBurst: burst('Creates and deletes that may go out at once after a quiet spell.'),
  })
  .describe(
    "Client-side rate limit of this account's API calls, in two token buckets: one for reads, one for creates and deletes. Each field absent takes the cloud's default, a fraction of its documented limit.",
  );
export type RateLimit = z.infer<typeof RateLimit>;

export const ProviderAccount = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(DNS_LABEL, { message: 'must be a DNS label: lowercase letters, digits and "-"' })
      .describe('Name of this provider account, unique within the Strategy; it is the first segment of every failure-domain path.'),
    type: z.enum(PROVIDER_TYPES).describe('Which cloud this account is on: aws, gcp, digitalocean or sim (the simulated cloud).'),
    credentialsSecretRef: z
      .strictObject({
        name: ObjectName.describe('Name of the Secret in the Strategy\'s namespace.'),
      })
      .optional()
      .describe('The Secret holding this account\'s credentials (cluster mode). Never needed for sim.'),
    credentials: z
      .record(
        z.string().min(1).max(63).regex(CREDENTIAL_KEY, { message: 'must be a credential key such as "accessKeyId"' }),
        z.string().max(1024).regex(CREDENTIAL_REFERENCE, { message: 'must be a reference such as "${env.AWS_SECRET_ACCESS_KEY}" or "${file:/path/to/key}", never the secret itself' }),
      )
      .optional()
      .describe(
        'Standalone only (polyfleet run/create): where each credential of this account comes from, as ${env.VAR} or ${file:PATH} — never the secret itself. In a cluster, use credentialsSecretRef.',
      ),
    endpoint: z
      .url()
      .max(2048)
      .optional()
      .describe('API endpoint to use instead of the cloud\'s public one: a private cloud, a proxy, a test server.'),
    project: z
      .string()
      .min(6)
      .max(30)
      .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { message: 'must be a GCP project ID such as "my-project-123"' })
      .optional()
      .describe('gcp: the project ID. Absent: the project_id of the service-account key.'),
    prices: z
      .record(z.string().min(1).max(128), money('Hourly price of this instance type for this account.'))
      .optional()
      .describe('Hourly prices by instance type, overriding the price table polyfleet ships (negotiated discounts, a private cloud).'),
    rateLimit: RateLimit.optional(),
    regions: z
      .array(Region)
      .max(64)
      .optional()
      .meta({
        description: 'Regions of this account that may be used. Empty or absent: every region the account offers.',
        'x-kubernetes-list-type': 'set',
      }),
  })
  .describe('One provider account the Strategy may place nodes on.');
export type ProviderAccount = z.infer<typeof ProviderAccount>;

const Hardware = withRules(
  z.strictObject({
    minCPU: z.int().min(1).max(1024).default(1).describe('Fewest vCPUs a node may have.'),
    maxCPU: z.int().min(1).max(1024).optional().describe('Most vCPUs a node may have; absent means no limit.'),
    minMemoryGiB: z.number().min(0).max(65536).default(0).describe('Least memory a node may have, in GiB.'),
    maxMemoryGiB: z.number().min(0).max(65536).optional().describe('Most memory a node may have, in GiB; absent means no limit.'),
    minDiskGiB: z.int().min(0).max(65536).default(0).describe('Smallest root disk a node may have, in GiB.'),
    arch: z
      .array(z.enum(ARCHES))
      .max(2)
      .optional()
      .meta({ description: 'CPU architectures allowed (amd64, arm64); absent means any.', 'x-kubernetes-list-type': 'set' }),
    gpu: z
      .strictObject({
        count: z.int().min(0).max(64).default(0).describe('Fewest GPUs a node must have.'),
        model: z.string().max(63).optional().describe('GPU model the node must have, e.g. nvidia-l4; absent means any.'),
      })
      .optional()
      .describe('GPU requirements; absent means GPUs are neither required nor excluded.'),
  }),
  'What a node\'s machine type must provide. Offerings outside these bounds are never used.',
  [
    {
      cel: '!has(self.maxCPU) || !has(self.minCPU) || self.minCPU <= self.maxCPU',
      message: 'minCPU must not be greater than maxCPU',
      fieldPath: '.maxCPU',
      holds: (h) => h.maxCPU === undefined || h.minCPU <= h.maxCPU,
    },
    {
      cel: '!has(self.maxMemoryGiB) || !has(self.minMemoryGiB) || self.minMemoryGiB <= self.maxMemoryGiB',
      message: 'minMemoryGiB must not be greater than maxMemoryGiB',
      fieldPath: '.maxMemoryGiB',
      holds: (h) => h.maxMemoryGiB === undefined || h.minMemoryGiB <= h.maxMemoryGiB,
    },
  ],
);

const Software = z
  .strictObject({
    os: z.string().min(1).max(63).default('ubuntu-24.04').describe('Operating system, resolved per provider and region to an image, e.g. ubuntu-24.04.'),
    images: z
      .record(z.string().max(253), z.string().max(1024))
      .optional()
      .describe('Explicit images by "provider" or "provider/region" (the more specific wins), overriding the lookup by os.'),
  })
  .describe('The software every node boots.');

const Geolocation = z
  .strictObject({
    continents: z
      .array(z.enum(CONTINENTS))
      .max(7)
      .optional()
      .meta({ description: 'Continent codes a region must be on (AF, AN, AS, EU, NA, OC, SA).', 'x-kubernetes-list-type': 'set' }),
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as "US"' }))
      .max(250)
      .optional()
      .meta({ description: 'ISO 3166-1 alpha-2 country codes a region must be in, e.g. US, DE.', 'x-kubernetes-list-type': 'set' }),
    regions: z
      .array(Region)
      .max(256)
      .optional()
      .meta({ description: 'Region names allowed across all providers.', 'x-kubernetes-list-type': 'set' }),
  })
  .describe('Where nodes may run. Each list present narrows the choice; absent lists do not.');

const Budget = withRules(
  z.strictObject({
    maxHourlyPerNode: money('Most one node may cost per hour; pricier offerings are never used.').optional(),
    maxHourlyTotal: money('Most all nodes of a pool using this Strategy may cost per hour together; no node is created past it.').optional(),
  }),
  'Hard money limits. A node that would break them is not created, and the pool says so.',
  [
    {
      cel: '!has(self.maxHourlyPerNode) || !has(self.maxHourlyTotal) || double(self.maxHourlyPerNode) <= double(self.maxHourlyTotal)',
      message: 'maxHourlyPerNode must not be greater than maxHourlyTotal',
      fieldPath: '.maxHourlyPerNode',
      holds: (b) =>
        b.maxHourlyPerNode === undefined ||
        b.maxHourlyTotal === undefined ||
        moneyToMicros(b.maxHourlyPerNode) <= moneyToMicros(b.maxHourlyTotal),
    },
  ],
);

export const StrategySpec = z
  .strictObject({
    pick: z
      .enum(PICKS)
      .default('first')
      .describe('How to choose among acceptable offerings: first (in provider order, the first that does not error), random (seeded per pool), cheapest, priciest.'),
    providers: z
      .array(ProviderAccount)
      .min(1)
      .max(32)
      .superRefine((providers, ctx) => {
        providers.forEach((p, i) => {
          if (providers.findIndex((q) => q.name === p.name) !== i) {
            ctx.addIssue({ code: 'custom', message: `Duplicate value: provider name "${p.name}"`, path: [i] });
          }
        });
      })
      .meta({
        description: 'Provider accounts to use, in order of preference for pick: first. Names must be unique.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    hardware: Hardware.default({ minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 }),
    software: Software.default({ os: 'ubuntu-24.04' }),
    geolocation: Geolocation.optional(),
    budget: Budget.optional(),
    capacityTypes: z
      .array(CapacityType)
      .min(1)
      .max(2)
      .optional()
      .superRefine((types = [], ctx) => {
        types.forEach((t, i) => {
          if (types.indexOf(t) !== i) ctx.addIssue({ code: 'custom', message: `Duplicate value: "${t}"`, path: [i] });
        });
      })
      .meta({
        description:
          'How nodes may be bought: on-demand, spot (EC2 Spot, Compute Engine Spot VMs: cheaper, and reclaimed by the cloud at any time; a reclaimed node is replaced). Each offering is considered at its own price by pick; with both, spot capacity errors fall back to on-demand. Default on-demand only.',
        'x-kubernetes-list-type': 'set',
      }),
  })
  .describe('Which offerings (provider, region, machine type) are acceptable and how to pick among them.');
export type StrategySpec = z.infer<typeof StrategySpec>;

/** The capacity types a Strategy accepts: its capacityTypes, on-demand only when absent. */
export function capacityTypesOf(spec: Pick<StrategySpec, 'capacityTypes'>): readonly CapacityType[] {
  return spec.capacityTypes ?? ['on-demand'];
}

export const Offering = z
  .strictObject({
    provider: z.string().max(63).describe('Provider account name.'),
    region: Region,
    zone: z.string().max(63).describe('Zone within the region.'),
    instanceType: z.string().max(128).describe('Machine type as the provider names it.'),
    cpu: z.int().min(0).describe('vCPUs.'),
    memoryGiB: z.number().min(0).describe('Memory in GiB.'),
    arch: z.enum(ARCHES).describe('CPU architecture.'),
    gpu: z.int().min(0).default(0).describe('Number of GPUs.'),
    hourlyPrice: money('Price per hour.'),
    capacityType: CapacityType.optional().describe('How the node is bought: on-demand (absent) or spot.'),
    priceSource: z
      .enum(PRICE_SOURCES)
      .optional()
      .describe("Where hourlyPrice came from: api (the cloud's pricing API), table (the table polyfleet ships, a last fallback), override (the account's prices). Absent: the provider does not say."),
    pricedAt: z.iso.datetime().optional().describe('When hourlyPrice was read from the pricing API, or the day the table was made. Absent for an override.'),
    image: z.string().max(1024).optional().describe('Image the node would boot, when resolved.'),
  })
  .describe('One acceptable offering: a machine type in a zone, with its price.');
export type Offering = z.infer<typeof Offering>;

export const PriceCacheEntry = z
  .strictObject({
    provider: z.string().max(63).describe('Provider account name.'),
    region: Region,
    fetchedAt: z.iso.datetime().describe('When these prices were read from the pricing API (the oldest, if they were read at different times).'),
    prices: z.record(z.string().min(1).max(128), money('Hourly price of this instance type.')).describe('Instance type → hourly price, for the types this Strategy accepts.'),
    spotPrices: z
      .record(z.string().min(1).max(128), money('Hourly spot price of this instance type.'))
      .optional()
      .describe('Instance type → hourly spot price (the lowest of the region\'s zones), for the spot offerings this Strategy accepts.'),
    zoneSpotPrices: z
      .record(z.string().min(1).max(192), money('Hourly spot price of this instance type in this zone.'))
      .optional()
      .describe('"<instance type>/<zone>" → hourly spot price, for the spot offerings this Strategy accepts: spot prices may differ by zone (EC2), and a restarted controller offers each zone at its own.'),
  })
  .describe("Prices an account's pricing API answered for one region, kept so a restarted controller uses them until they are stale instead of the shipped table.");
export type PriceCacheEntry = z.infer<typeof PriceCacheEntry>;

export const OfferingFunnel = z
  .strictObject({
    accounts: z.int().min(0).describe('Provider accounts whose catalogue could be read.'),
    regions: z.int().min(0).describe("Regions left after each account's regions and the Strategy's geolocation."),
    catalogue: z.int().min(0).describe('Offerings (account, region, zone, instance type) those regions have.'),
    hardware: z.int().min(0).describe('Offerings left after the hardware filter.'),
    software: z.int().min(0).describe('Offerings left once each has an image for software.os (or software.images).'),
    budget: z.int().min(0).describe('Offerings left under budget.maxHourlyPerNode: the acceptable ones.'),
  })
  .describe('How many candidates each filter kept, in the order they run: the first 0 is the filter that left nothing.');
export type OfferingFunnel = z.infer<typeof OfferingFunnel>;

export const StrategyStatus = z
  .strictObject({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation this status was computed from.'),
    offeringCount: z.int().min(0).optional().describe('How many offerings the Strategy accepts in all.'),
    funnel: OfferingFunnel.optional(),
    offerings: z.array(Offering).max(50).optional().describe('The best offerings in pick order, with their prices (at most 50).'),
    priceCache: z
      .array(PriceCacheEntry)
      .max(256)
      .optional()
      .describe('The pricing APIs\' answers behind the acceptable offerings, per account and region: what a restarted controller starts from.'),
    conditions: Conditions.optional(),
  })
  .describe('What the controller resolved the Strategy to.');
export type StrategyStatus = z.infer<typeof StrategyStatus>;

export const Strategy = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('Strategy'),
    metadata: ObjectMeta,
    spec: StrategySpec,
    status: StrategyStatus.optional(),
  })
  .describe('A Strategy says which clouds, regions and machine types a NodePool may use and how to pick among them.');
export type Strategy = z.infer<typeof Strategy>;
