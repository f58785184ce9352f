// All three test clouds at once — moto for EC2, the fake Compute Engine, the fake DigitalOcean —
// with what a Strategy needs to reach them (endpoint, gcp project) and what a user would hand
// polyfleet (a Secret's data, or ${env.VAR} references and the environment they read). Their
// instances are counted by asking each endpoint over its own wire protocol, never through
// polyfleet's adapters, so a test can tell a leak the adapters would hide.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { ProviderAccount } from '../../api/index.js';
import { PRICE_TABLE } from '../../providers/aws/price-table.js';
import { ec2Catalogue, fakePriceList } from './aws-price-list/index.js';
import type { FakePriceList } from './aws-price-list/index.js';
import type { FakeBillingCatalog } from './gcp-billing/index.js';
import { startFakeDigitalOcean } from './digitalocean/index.js';
import { startFakeGce } from './gce/index.js';
import type { FakeGce } from './gce/index.js';
import { startMoto } from './moto.js';

export type CloudType = 'aws' | 'gcp' | 'digitalocean';
export const CLOUD_TYPES: readonly CloudType[] = ['aws', 'gcp', 'digitalocean'];

/** An instance as its cloud reports it: not terminated, with its tags (aws) or labels (gcp, digitalocean). */
export interface LiveInstance {
  readonly id: string;
  readonly state: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Whether the cloud says it is spot capacity (EC2 InstanceLifecycle spot, a Compute Engine SPOT provisioningModel). */
  readonly spot: boolean;
}

export interface TestCloud {
  readonly type: CloudType;
  /** The API base URL as a user writes it in `endpoint`. */
  readonly endpoint: string;
  /** gcp only: the fake's project. */
  readonly project?: string;
  /** The adapter's credentials under the agreed keys: what a cluster Secret's data holds. */
  readonly credentials: Readonly<Record<string, string>>;
  /** The same credentials as ${env.VAR} references, for a standalone Strategy. */
  readonly credentialReferences: Readonly<Record<string, string>>;
  /** The environment those references read. */
  readonly env: Readonly<Record<string, string>>;
  /** Instances not terminated in `regions`, asked of the endpoint itself. */
  liveInstances(regions: readonly string[]): Promise<LiveInstance[]>;
}

export interface CloudEndpoints {
  readonly clouds: Readonly<Record<CloudType, TestCloud>>;
  /** The AWS Price List served at moto's endpoint, with the shipped table's figures: set it down for an outage. */
  readonly awsPriceList: FakePriceList;
  /** The Cloud Billing Catalog served at the fake Compute Engine's endpoint: its SKUs, and down for an outage. */
  readonly gcpBilling: FakeBillingCatalog;
  /** The fake Compute Engine itself: preempt a Spot VM, run out of Spot capacity. */
  readonly gce: FakeGce;
  /** The fake DigitalOcean's sizes answer this price_hourly from now on. */
  setDigitalOceanPrice(slug: string, usd: number): void;
  /** Every cloud's environment for ${env.…} references, merged. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * `account` pointed at its cloud's test endpoint (and the fake's project for gcp). `secret` keeps
   * its credentialsSecretRef; `env` replaces it with ${env.…} credential references.
   */
  pointAt(account: ProviderAccount, credentials: 'secret' | 'env'): ProviderAccount;
  stop(): Promise<void>;
}

const AWS_KEYS = { accessKeyId: 'AKIAPOLYFLEETTEST000', secretAccessKey: 'polyfleet-test-secret-access-key' };

/**
 * Starts moto, the fake GCE and the fake DigitalOcean on free loopback ports, each refusing any
 * credential but its own, so a test proves the credentials reached the adapter; stops all if one fails.
 */
export async function startCloudEndpoints(): Promise<CloudEndpoints> {
  const awsPriceList = fakePriceList(ec2Catalogue(tablePrices()));
  const started = await Promise.allSettled([startMoto({ accessKeys: { [AWS_KEYS.accessKeyId]: AWS_KEYS.secretAccessKey }, priceList: awsPriceList }), startFakeGce(), startFakeDigitalOcean()]);
  const [moto, gce, digitalocean] = started;
  if (moto.status === 'rejected' || gce.status === 'rejected' || digitalocean.status === 'rejected') {
    await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop()] : [])));
    const reasons = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    throw new Error(`cannot start the test clouds: ${reasons.join('; ')}`);
  }
  const clouds: Record<CloudType, TestCloud> = {
    aws: awsCloud(moto.value.endpoint),
    gcp: gcpCloud(gce.value.endpoint, gce.value.project, gce.value.accessToken),
    digitalocean: digitalOceanCloud(digitalocean.value.endpoint, digitalocean.value.token),
  };
  return {
    clouds,
    awsPriceList,
    gcpBilling: gce.value.billing,
    gce: gce.value,
    setDigitalOceanPrice: (slug, usd) => {
      digitalocean.value.setPriceHourly(slug, usd);
    },
    env: Object.assign({}, ...CLOUD_TYPES.map((t) => clouds[t].env)) as Record<string, string>,
    pointAt: (account, credentials) => pointAt(clouds, account, credentials),
    async stop() {
      await Promise.all([moto.value.stop(), gce.value.stop(), digitalocean.value.stop()]);
    },
  };
}

/** The shipped AWS table as Price List products: AWS accounts see the same figures, now from the API. */
function tablePrices(): { region: string; instanceType: string; usd: string }[] {
  const regions: Readonly<Record<string, Readonly<Record<string, string>>>> = PRICE_TABLE.regions;
  // The Price List writes ten decimals: "0.0104000000".
  const tenDecimals = (usd: string): string => (usd.includes('.') ? usd.padEnd(usd.indexOf('.') + 11, '0') : `${usd}.0000000000`);
  return Object.entries(regions).flatMap(([region, types]) => Object.entries(types).map(([instanceType, usd]) => ({ region, instanceType, usd: tenDecimals(usd) })));
}

function pointAt(clouds: Record<CloudType, TestCloud>, account: ProviderAccount, credentials: 'secret' | 'env'): ProviderAccount {
  if (account.type === 'sim') throw new Error(`account "${account.name}" is a sim account: it has no test endpoint`);
  const cloud = clouds[account.type];
  const { credentialsSecretRef, ...rest } = account;
  return {
    ...rest,
    endpoint: cloud.endpoint,
    ...(cloud.project === undefined ? {} : { project: cloud.project }),
    ...(credentials === 'env' ? { credentials: { ...cloud.credentialReferences } } : credentialsSecretRef === undefined ? {} : { credentialsSecretRef }),
  };
}

function references(env: Readonly<Record<string, string>>, keyToVariable: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(keyToVariable).filter(([, variable]) => env[variable] !== undefined).map(([key, variable]) => [key, `\${env.${variable}}`]));
}

function awsCloud(endpoint: string): TestCloud {
  const env = { POLYFLEET_TEST_AWS_ACCESS_KEY_ID: AWS_KEYS.accessKeyId, POLYFLEET_TEST_AWS_SECRET_ACCESS_KEY: AWS_KEYS.secretAccessKey };
  return {
    type: 'aws',
    endpoint,
    credentials: AWS_KEYS,
    env,
    credentialReferences: references(env, { accessKeyId: 'POLYFLEET_TEST_AWS_ACCESS_KEY_ID', secretAccessKey: 'POLYFLEET_TEST_AWS_SECRET_ACCESS_KEY' }),
    async liveInstances(regions) {
      const perRegion = await Promise.all(regions.map((region) => describeLiveInstances(endpoint, region)));
      return perRegion.flat();
    },
  };
}

async function describeLiveInstances(endpoint: string, region: string): Promise<LiveInstance[]> {
  const client = new EC2Client({ region, endpoint, credentials: AWS_KEYS, maxAttempts: 1 });
  try {
    const found: LiveInstance[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new DescribeInstancesCommand({ NextToken, Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] }] }));
      for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const tags = Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
        found.push({ id: instance.InstanceId ?? '', state: instance.State?.Name ?? 'unknown', tags, spot: instance.InstanceLifecycle === 'spot' });
      }
      NextToken = page.NextToken;
    } while (NextToken !== undefined && NextToken !== '');
    return found;
  } finally {
    client.destroy();
  }
}

interface GceInstanceList {
  items?: Record<string, { instances?: { name?: string; status?: string; labels?: Record<string, string>; scheduling?: { provisioningModel?: string } }[] }>;
  nextPageToken?: string;
}

function gcpCloud(endpoint: string, project: string, accessToken: string): TestCloud {
  const env = { POLYFLEET_TEST_GCP_ACCESS_TOKEN: accessToken };
  return {
    type: 'gcp',
    endpoint,
    project,
    credentials: { accessToken },
    env,
    credentialReferences: references(env, { accessToken: 'POLYFLEET_TEST_GCP_ACCESS_TOKEN' }),
    async liveInstances() {
      // aggregatedList covers every zone of every region: nothing polyfleet made can hide in a zone it forgot.
      const found: LiveInstance[] = [];
      let pageToken = '';
      do {
        const query = pageToken === '' ? '' : `?pageToken=${encodeURIComponent(pageToken)}`;
        const page = (await getJson(`${endpoint}/compute/v1/projects/${project}/aggregated/instances${query}`, accessToken)) as GceInstanceList;
        for (const [scope, listed] of Object.entries(page.items ?? {})) {
          const zone = scope.replace(/^zones\//, '');
          for (const i of listed.instances ?? []) {
            // ZONE/NAME: how gcloud names an instance, and the id polyfleet gives it.
            if (i.status !== 'TERMINATED') found.push({ id: `${zone}/${i.name ?? ''}`, state: i.status ?? 'unknown', tags: i.labels ?? {}, spot: i.scheduling?.provisioningModel === 'SPOT' });
          }
        }
        pageToken = page.nextPageToken ?? '';
      } while (pageToken !== '');
      return found;
    },
  };
}

interface DropletList {
  droplets?: { id?: number; status?: string; tags?: string[] }[];
  links?: { pages?: { next?: string } };
}

function digitalOceanCloud(endpoint: string, token: string): TestCloud {
  const env = { POLYFLEET_TEST_DIGITALOCEAN_TOKEN: token };
  const api = endpoint.replace(/\/+$/, '').endsWith('/v2') ? endpoint.replace(/\/+$/, '') : `${endpoint.replace(/\/+$/, '')}/v2`;
  return {
    type: 'digitalocean',
    endpoint,
    credentials: { token },
    env,
    credentialReferences: references(env, { token: 'POLYFLEET_TEST_DIGITALOCEAN_TOKEN' }),
    async liveInstances() {
      const found: LiveInstance[] = [];
      let next: string | undefined = `${api}/droplets?per_page=200`;
      while (next !== undefined) {
        const page = (await getJson(next, token)) as DropletList;
        for (const d of page.droplets ?? []) {
          if (d.status !== 'archive') found.push({ id: String(d.id), state: d.status ?? 'unknown', tags: Object.fromEntries((d.tags ?? []).map((t) => [t, ''])), spot: false });
        }
        next = page.links?.pages?.next;
      }
      return found;
    },
  };
}

async function getJson(url: string, bearer: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response.json();
}
