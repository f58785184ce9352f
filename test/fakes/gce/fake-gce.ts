import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticator } from './auth.js';
import type { FakeServiceAccount } from './auth.js';
import { API_ROOT, IMAGE_FAMILIES, REGIONS, allZones, machineTypeJson, machineTypesIn, regionOfZone, zonesOf } from './catalogue.js';
import { matches, page, parseFilter, parseOperationFilter } from './filter.js';
import { HttpError, errorBody, injectedHttpError, notFound, unauthenticated } from './google-errors.js';
import { ProjectState } from './project-state.js';
import { COMPUTE_SERVICE_ID, computeCatalog, fakeBillingCatalog } from '../gcp-billing/index.js';
import type { FakeBillingCatalog } from '../gcp-billing/index.js';

/** The API methods the fake serves, by their discovery-document names; each can be made to fail. */
export type FakeGceMethod =
  | 'regions.list'
  | 'zones.list'
  | 'machineTypes.list'
  | 'images.getFromFamily'
  | 'instances.insert'
  | 'instances.get'
  | 'instances.list'
  | 'instances.aggregatedList'
  | 'instances.delete'
  | 'instances.stop'
  | 'instances.suspend'
  | 'zoneOperations.get'
  | 'zoneOperations.list'
  | 'zoneOperations.wait';

export type FakeGceFault = 'capacity' | 'quota' | 'throttled' | 'auth' | 'invalidRequest' | 'transient';

export interface FakeGceOptions {
  readonly project?: string;
  readonly accessToken?: string;
  /** How long an instance spends in each of PROVISIONING and STAGING, and a deleted one in STOPPING (default 50 ms). */
  readonly stepMs?: number;
  /** Zones that zones.list reports DOWN (a zone outage); regions still list them, as GCE's do. */
  readonly downZones?: readonly string[];
  /**
   * Zones whose instances cannot be read: aggregatedList leaves their instances out and warns
   * UNREACHABLE in their scope, as GCE does for a zone it cannot reach; instances.list there is 503.
   */
  readonly unreachableZones?: readonly string[];
  /** The Cloud Billing Catalog served on the same endpoint; default one with Compute Engine's SKUs of the fake's regions (gcp-billing/rates.ts). */
  readonly billing?: FakeBillingCatalog;
}

export interface FakeGce {
  /** `http://127.0.0.1:PORT`, as an account's `endpoint` takes it. */
  readonly endpoint: string;
  readonly project: string;
  readonly accessToken: string;
  /** A service account of the project whose key (self-signed JWTs) the fake accepts as well as accessToken. */
  readonly serviceAccount: FakeServiceAccount;
  /**
   * The next call of `method` fails with GCE's own error for `kind`: capacity and quota as a
   * failed insert operation (an insert that is not an insert fails with 503), the rest as HTTP
   * 429/403/400/503 with Google's error body.
   */
  inject(method: FakeGceMethod, kind: FakeGceFault): void;
  /**
   * Compute Engine preempts a Spot VM (ZONE/NAME), as ProjectState.preempt says: deleted (or stopped),
   * with a compute.instances.preempted operation that zoneOperations.list shows; false if it is no live Spot VM.
   */
  preempt(instanceId: string): boolean;
  /** While false, every zone is out of Spot capacity: Spot inserts fail with ZONE_RESOURCE_POOL_EXHAUSTED. */
  setSpotCapacity(available: boolean): void;
  /** Requests served so far, by method, for tests that count calls. */
  readonly calls: ReadonlyMap<FakeGceMethod, number>;
  /** The Cloud Billing Catalog API served at `endpoint` too (/v1/services/…/skus): set it down for a pricing outage. */
  readonly billing: FakeBillingCatalog;
  stop(): Promise<void>;
}

interface Route {
  readonly method: FakeGceMethod;
  readonly verb: string;
  readonly path: RegExp;
  readonly handle: (ctx: RequestContext) => unknown;
}

interface RequestContext {
  readonly state: ProjectState;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly fault: FakeGceFault | undefined;
  readonly downZones: ReadonlySet<string>;
  readonly unreachableZones: ReadonlySet<string>;
}

const list = (kind: string, items: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ kind, items, ...extra });

const ROUTES: readonly Route[] = [
  {
    method: 'regions.list',
    verb: 'GET',
    path: /^projects\/([^/]+)\/regions$/,
    handle: ({ state, query }) => {
      const regions = REGIONS.map((r, i) => ({
        kind: 'compute#region',
        id: String(1000 + i),
        name: r.name,
        status: 'UP',
        zones: zonesOf(r.name).map((z) => `${API_ROOT}/projects/${state.project}/zones/${z}`),
        selfLink: `${API_ROOT}/projects/${state.project}/regions/${r.name}`,
      }));
      return list('compute#regionList', ...pageArgs(regions, query));
    },
  },
  {
    method: 'zones.list',
    verb: 'GET',
    path: /^projects\/([^/]+)\/zones$/,
    handle: ({ state, query, downZones }) => {
      const zones = allZones().map((z, i) => ({ kind: 'compute#zone', id: String(2000 + i), name: z, status: downZones.has(z) ? 'DOWN' : 'UP', region: `${API_ROOT}/projects/${state.project}/regions/${regionOfZone(z)}` }));
      return list('compute#zoneList', ...pageArgs(zones, query));
    },
  },
  {
    method: 'machineTypes.list',
    verb: 'GET',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/machineTypes$/,
    handle: ({ state, params, query }) => {
      const zone = knownZone(state, params[1]);
      const types = machineTypesIn(zone).map((t, i) => machineTypeJson(t, state.project, zone, 3000 + i));
      return list('compute#machineTypeList', ...pageArgs(types, query));
    },
  },
  {
    method: 'instances.insert',
    verb: 'POST',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/instances$/,
    handle: ({ state, params, query, body, fault }) =>
      state.insert(knownZone(state, params[1]), body, query.get('requestId'), fault === 'capacity' || fault === 'quota' ? fault : undefined),
  },
  {
    method: 'instances.get',
    verb: 'GET',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)$/,
    handle: ({ state, params }) => state.get(knownZone(state, params[1]), params[2] ?? ''),
  },
  {
    method: 'instances.delete',
    verb: 'DELETE',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)$/,
    handle: ({ state, params, query }) => state.delete(knownZone(state, params[1]), params[2] ?? '', query.get('requestId')),
  },
  {
    method: 'instances.stop',
    verb: 'POST',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)\/stop$/,
    handle: ({ state, params, query }) => state.halt('stop', knownZone(state, params[1]), params[2] ?? '', query.get('requestId')),
  },
  {
    method: 'instances.suspend',
    verb: 'POST',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/instances\/([^/]+)\/suspend$/,
    handle: ({ state, params, query }) => state.halt('suspend', knownZone(state, params[1]), params[2] ?? '', query.get('requestId')),
  },
  {
    method: 'instances.list',
    verb: 'GET',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/instances$/,
    handle: ({ state, params, query, unreachableZones }) => {
      const zone = knownZone(state, params[1]);
      if (unreachableZones.has(zone)) throw new HttpError(503, 'backendError', `The zone 'projects/${state.project}/zones/${zone}' is unreachable.`);
      const filter = parseFilter(query.get('filter'));
      const mine = state.all().filter((i) => String(i.zone).endsWith(`/${zone}`) && matches(filter, labelsOf(i)));
      return list('compute#instanceList', ...pageArgs(mine, query));
    },
  },
  {
    method: 'instances.aggregatedList',
    verb: 'GET',
    path: /^projects\/([^/]+)\/aggregated\/instances$/,
    handle: ({ state, query, unreachableZones }) => {
      const filter = parseFilter(query.get('filter'));
      const readable = state.all().filter((i) => matches(filter, labelsOf(i)) && !unreachableZones.has(lastPart(String(i.zone))));
      const { items, nextPageToken } = page(readable, query);
      const byZone: Record<string, unknown> = {};
      for (const zone of allZones()) {
        const here = items.filter((i) => String(i.zone).endsWith(`/${zone}`));
        const warning = (code: string, message: string): Record<string, unknown> => ({ warning: { code, message, data: [{ key: 'scope', value: `zones/${zone}` }] } });
        byZone[`zones/${zone}`] =
          unreachableZones.has(zone) ? warning('UNREACHABLE', `Scope 'zones/${zone}' is unreachable.`)
          : here.length > 0 ? { instances: here }
          : warning('NO_RESULTS_ON_PAGE', `There are no results for scope 'zones/${zone}' on this page.`);
      }
      return { kind: 'compute#instanceAggregatedList', items: byZone, ...(nextPageToken === undefined ? {} : { nextPageToken }) };
    },
  },
  {
    method: 'zoneOperations.get',
    verb: 'GET',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/operations\/([^/]+)$/,
    handle: ({ state, params }) => state.poll(knownZone(state, params[1]), params[2] ?? ''),
  },
  {
    method: 'zoneOperations.list',
    verb: 'GET',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/operations$/,
    handle: ({ state, params, query }) => list('compute#operationList', ...pageArgs(state.operationsIn(knownZone(state, params[1]), parseOperationFilter(query.get('filter'))), query)),
  },
  {
    method: 'zoneOperations.wait',
    verb: 'POST',
    path: /^projects\/([^/]+)\/zones\/([^/]+)\/operations\/([^/]+)\/wait$/,
    handle: ({ state, params }) => state.poll(knownZone(state, params[1]), params[2] ?? ''),
  },
];

function pageArgs(items: unknown[], query: URLSearchParams): [unknown[], Record<string, unknown>] {
  const { items: slice, nextPageToken } = page(items, query);
  return [slice, nextPageToken === undefined ? {} : { nextPageToken }];
}

function lastPart(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function labelsOf(instance: Record<string, unknown>): Record<string, string> {
  return (instance.labels ?? {}) as Record<string, string>;
}

function knownZone(state: ProjectState, zone: string | undefined): string {
  if (zone === undefined || !allZones().includes(zone)) throw notFound(`projects/${state.project}/zones/${zone ?? ''}`);
  return zone;
}

/** images.getFromFamily needs no project of ours: public image projects are readable by anyone authenticated. */
function imageFromFamily(path: string): Record<string, unknown> | undefined {
  const match = /^projects\/([^/]+)\/global\/images\/family\/([^/]+)$/.exec(path);
  if (match === null) return undefined;
  const [, project = '', family = ''] = match;
  const name = IMAGE_FAMILIES[project]?.[family];
  if (name === undefined) throw notFound(`projects/${project}/global/images/family/${family}`);
  return { kind: 'compute#image', name, family, status: 'READY', architecture: family.includes('arm64') ? 'ARM64' : 'X86_64', selfLink: `${API_ROOT}/projects/${project}/global/images/${name}` };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'parseError', 'This API does not support parsing form-encoded input.');
  }
}

export async function startFakeGce(options: FakeGceOptions = {}): Promise<FakeGce> {
  const project = options.project ?? 'polyfleet-fake';
  const accessToken = options.accessToken ?? `fake-gce-token-${process.pid}`;
  const state = new ProjectState(project, options.stepMs ?? 50, () => Date.now());
  const auth = authenticator(project, accessToken, () => Date.now());
  const faults = new Map<FakeGceMethod, FakeGceFault>();
  const calls = new Map<FakeGceMethod, number>();
  const downZones = new Set(options.downZones);
  const unreachableZones = new Set(options.unreachableZones);
  const billing = options.billing ?? fakeBillingCatalog({ [COMPUTE_SERVICE_ID]: computeCatalog() });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/compute\/v1\//, '');
    if (!auth.accepts(req.headers.authorization)) throw unauthenticated();
    if (req.method === 'GET' && billing.serves(url.pathname)) {
      billing.handle(url, res);
      return;
    }
    const image = req.method === 'GET' ? imageFromFamily(path) : undefined;
    if (image !== undefined) {
      send(res, 200, image);
      return;
    }
    for (const route of ROUTES) {
      const match = req.method === route.verb ? route.path.exec(path) : null;
      if (match === null) continue;
      calls.set(route.method, (calls.get(route.method) ?? 0) + 1);
      if (match[1] !== project) throw notFound(`projects/${match[1] ?? ''}`);
      const fault = faults.get(route.method);
      faults.delete(route.method);
      const body = await readBody(req);
      if (fault !== undefined && (route.method !== 'instances.insert' || (fault !== 'capacity' && fault !== 'quota'))) {
        throw injectedHttpError(fault === 'capacity' || fault === 'quota' ? 'transient' : fault, project);
      }
      send(res, 200, route.handle({ state, params: match.slice(1), query: url.searchParams, body, fault, downZones, unreachableZones }));
      return;
    }
    throw new HttpError(404, 'notFound', `The requested URL ${url.pathname} was not found on this server.`);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      const error = e instanceof HttpError ? e : new HttpError(500, 'backendError', e instanceof Error ? e.message : String(e));
      res.writeHead(error.status, { 'content-type': 'application/json; charset=UTF-8', ...error.headers });
      res.end(errorBody(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    project,
    accessToken,
    serviceAccount: auth.serviceAccount,
    calls,
    billing,
    preempt: (instanceId) => {
      const [zone = '', name = ''] = instanceId.split('/');
      return state.preempt(zone, name);
    },
    setSpotCapacity: (available) => {
      state.spotExhausted = !available;
    },
    inject: (method, kind) => {
      faults.set(method, kind);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => {
          if (e === undefined) resolve();
          else reject(e);
        });
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}
