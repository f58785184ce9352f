import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { z } from 'zod';
import { AnsibleInventoryList, GroupList, HostDetail, HostPage, RegionList, TenantList, type HostSummary } from '../../api/index.js';
import type { AccessControl, Caller } from '../../runtime/auth/index.js';
import { HttpProblem, sendJsonText, type RequestContext, type Router } from '../../runtime/http/index.js';
import type { Logger } from '../../runtime/log.js';
import { ansibleList } from '../ansible-list.js';
import { bundleFiles, type BundleFile } from '../bundle.js';
import { filterInventory, type HostFilter } from '../host-filter.js';
import { compare, type Inventory } from '../model.js';
import { tarStream } from '../tar-writer.js';
import { hostVarValues, resolveHostVars } from '../variables.js';
import { zipStream } from '../zip-writer.js';
import type { InventoryBackend } from './backend.js';
import { bundleSecretFiles } from './bundle-secrets.js';
import { inventoryOpenApi } from './openapi.js';
import { booleanParam, continueParam, encodeContinue, filterParams, FILTER_PARAMS, limitParam, onlyParams, single } from './query.js';
import { inventoryRegions } from './regions.js';
import { TenantInventoryCache } from './inventory-cache.js';

export interface InventoryApiOptions {
  readonly backend: InventoryBackend;
  readonly access: AccessControl;
  readonly log: Logger;
  /** The bundles' file times (default now). */
  readonly now?: () => Date;
}

/** Mounts the read-only inventory API (/v1/…) on `router`; `stop` ends the watches its cache keeps. */
export function mountInventoryApi(router: Router, options: InventoryApiOptions): { stop(): void } {
  const api = new InventoryApi(options);
  const openapi = JSON.stringify(inventoryOpenApi());
  router
    .get('/v1/openapi.json', (ctx) => {
      onlyParams(ctx.query, []);
      ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      ctx.res.end(ctx.req.method === 'HEAD' ? undefined : openapi);
      return Promise.resolve();
    })
    .get('/v1/tenants', (ctx) => api.tenants(ctx))
    .get('/v1/regions/{tenant}', (ctx) => api.regions(ctx))
    .get('/v1/hosts', (ctx) => api.hosts(ctx))
    .get('/v1/hosts/{tenant}/{name}', (ctx) => api.host(ctx))
    .get('/v1/groups/{tenant}', (ctx) => api.groups(ctx))
    .get('/v1/ansible/{tenant}', (ctx) => api.ansible(ctx))
    .get('/v1/inventory/{tenant}/{regionId}.tgz', (ctx) => api.bundle(ctx, 'tgz'))
    .get('/v1/inventory/{tenant}/{regionId}.zip', (ctx) => api.bundle(ctx, 'zip'))
    .get('/v1/inventory/{tenant}.tgz', (ctx) => api.bundle(ctx, 'tgz'))
    .get('/v1/inventory/{tenant}.zip', (ctx) => api.bundle(ctx, 'zip'));
  return {
    stop: () => {
      api.cache.stop();
    },
  };
}

class InventoryApi {
  readonly cache: TenantInventoryCache;

  constructor(private readonly options: InventoryApiOptions) {
    this.cache = new TenantInventoryCache(options.backend, options.access);
  }

  async tenants(ctx: RequestContext): Promise<void> {
    onlyParams(ctx.query, []);
    const caller = await this.caller(ctx);
    const readable = await this.readableTenants(caller);
    const tenants = [];
    for (const name of readable) tenants.push({ name, hosts: (await this.inventory(caller, name)).hosts.size });
    this.send(ctx.res, TenantList, { tenants });
  }

  async regions(ctx: RequestContext): Promise<void> {
    onlyParams(ctx.query, []);
    const { caller, tenant } = await this.tenantCaller(ctx);
    const inventory = await this.inventory(caller, tenant);
    this.send(ctx.res, RegionList, { tenant, regions: inventoryRegions(inventory), problems: [...inventory.problems] });
  }

  async hosts(ctx: RequestContext): Promise<void> {
    onlyParams(ctx.query, ['tenant', ...FILTER_PARAMS, 'limit', 'continue']);
    const filter = filterParams(ctx.query);
    const limit = limitParam(ctx.query);
    const after = continueParam(ctx.query);
    const only = single(ctx.query, 'tenant');
    const caller = await this.caller(ctx);
    if (only !== undefined) await this.authorize(caller, only);
    const tenants = (only === undefined ? await this.readableTenants(caller) : [only]).filter((t) => after === undefined || compare(t, after.tenant) >= 0);
    const items: HostSummary[] = [];
    for (const tenant of tenants) {
      const inventory = filterInventory(await this.inventory(caller, tenant), filter);
      for (const [name, facts] of inventory.hosts) {
        if (after !== undefined && tenant === after.tenant && compare(name, after.host) <= 0) continue;
        if (items.length === limit) {
          const last = items[items.length - 1] as HostSummary;
          this.send(ctx.res, HostPage, { items, continue: encodeContinue({ tenant: last.tenant, host: last.name }) });
          return;
        }
        items.push({ tenant, name, groups: [...(inventory.hostGroups.get(name) ?? [])], facts: { ...facts, polyfleet_labels: { ...facts.polyfleet_labels } } });
      }
    }
    this.send(ctx.res, HostPage, { items });
  }

  async host(ctx: RequestContext): Promise<void> {
    onlyParams(ctx.query, ['blame']);
    const blame = booleanParam(ctx.query, 'blame');
    const { caller, tenant } = await this.tenantCaller(ctx);
    const name = ctx.params.name ?? '';
    const inventory = await this.inventory(caller, tenant);
    const facts = inventory.hosts.get(name);
    const resolved = resolveHostVars(inventory, name);
    if (facts === undefined || resolved === undefined) {
      throw new HttpProblem(404, `host "${name}" is not in the inventory of tenant "${tenant}" (a Machine is a host once it has an instance and an address)`);
    }
    this.send(ctx.res, HostDetail, {
      tenant,
      name,
      groups: [...(inventory.hostGroups.get(name) ?? [])],
      facts: { ...facts, polyfleet_labels: { ...facts.polyfleet_labels } },
      vars: hostVarValues(resolved),
      ...(blame ? { blame: resolved.map((b) => ({ ...b, overridden: [...b.overridden] })) } : {}),
      problems: [...inventory.problems],
    });
  }

  async groups(ctx: RequestContext): Promise<void> {
    onlyParams(ctx.query, []);
    const { caller, tenant } = await this.tenantCaller(ctx);
    const inventory = await this.inventory(caller, tenant);
    const groups = [...inventory.groups.values()].map((g) => ({
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children],
      vars: { ...g.vars },
      priority: g.priority,
      depth: g.depth,
      ...(g.hostGroup === undefined ? {} : { hostGroup: g.hostGroup }),
    }));
    this.send(ctx.res, GroupList, { tenant, groups, problems: [...inventory.problems] });
  }

  async ansible(ctx: RequestContext): Promise<void> {
    onlyParams(ctx.query, [...FILTER_PARAMS]);
    const filter = filterParams(ctx.query);
    const { caller, tenant } = await this.tenantCaller(ctx);
    if (FILTER_PARAMS.some((p) => ctx.query.has(p))) {
      this.send(ctx.res, AnsibleInventoryList, ansibleList(filterInventory(await this.inventory(caller, tenant), filter)));
      return;
    }
    // The whole list, checked and serialized once per inventory kept: at 10,000 hosts that is most of the answer's cost.
    sendJsonText(ctx.res, await this.cache.derived(caller, tenant, 'ansible', (inventory) => this.checked(ctx.res, AnsibleInventoryList, ansibleList(inventory))));
  }

  /** A bundle, streamed: one file of it in memory at a time (and a zip's directory). */
  async bundle(ctx: RequestContext, kind: 'tgz' | 'zip'): Promise<void> {
    onlyParams(ctx.query, [...FILTER_PARAMS, 'secrets']);
    const withSecrets = booleanParam(ctx.query, 'secrets');
    const given = filterParams(ctx.query);
    const { caller, tenant } = await this.tenantCaller(ctx);
    const full = await this.inventory(caller, tenant);
    const regionId = ctx.params.regionId;
    let filter: HostFilter = given;
    if (regionId !== undefined) {
      const region = inventoryRegions(full).find((r) => r.id === regionId);
      if (region === undefined) throw new HttpProblem(404, `tenant "${tenant}" has no hosts in region "${regionId}"; GET /v1/regions/${tenant} lists the region ids`);
      if (given.region !== undefined && given.region !== region.region) throw new HttpProblem(400, `query parameter region=${given.region} contradicts the path's region ${regionId}`);
      filter = { ...given, account: region.account, region: region.region };
    }
    const inventory = filterInventory(full, filter);
    const secrets = withSecrets ? await bundleSecretFiles(this.options.backend, this.options.access, caller, inventory, (await this.options.backend.objects(tenant)).hostGroups) : [];
    const files = withSecretFiles(bundleFiles(inventory), secrets);
    const mtime = this.options.now?.() ?? new Date();
    const filename = `${tenant}${regionId === undefined ? '' : `-${regionId}`}.${kind}`;
    ctx.res.writeHead(200, {
      'Content-Type': kind === 'tgz' ? 'application/gzip' : 'application/zip',
      'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9_.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    });
    if (ctx.req.method === 'HEAD') {
      ctx.res.end();
      return;
    }
    const body = kind === 'tgz' ? Readable.from(tarStream(files, mtime)).pipe(createGzip()) : Readable.from(zipStream(files, mtime));
    await pipeline(body, ctx.res);
  }

  private async caller(ctx: RequestContext): Promise<Caller> {
    const result = await this.options.access.authenticate(ctx.req.headers.authorization);
    if (result.kind === 'ok') return result.caller;
    throw new HttpProblem(401, `${result.reason}; send ${this.options.access.scheme}`, { 'WWW-Authenticate': 'Bearer realm="polyfleet inventory"' });
  }

  private async tenantCaller(ctx: RequestContext): Promise<{ caller: Caller; tenant: string }> {
    const caller = await this.caller(ctx);
    const tenant = ctx.params.tenant ?? '';
    await this.authorize(caller, tenant);
    return { caller, tenant };
  }

  /** Reading a tenant's inventory takes what `kubectl get machines -n TENANT` takes. */
  private async authorize(caller: Caller, tenant: string): Promise<void> {
    if (!(await this.options.access.allowed(caller, { verb: 'list', group: 'polyfleet.io', resource: 'machines', namespace: tenant }))) {
      throw new HttpProblem(403, `${caller.user} may not list machines.polyfleet.io in namespace "${tenant}", which reading its inventory takes`);
    }
  }

  /** The tenants the caller may read; a 403 if there are tenants and the caller may read none (not an empty answer that looks like an empty fleet). */
  private async readableTenants(caller: Caller): Promise<string[]> {
    const all = await this.options.backend.tenants();
    const readable: string[] = [];
    for (const tenant of all) {
      if (await this.options.access.allowed(caller, { verb: 'list', group: 'polyfleet.io', resource: 'machines', namespace: tenant })) readable.push(tenant);
    }
    if (all.length > 0 && readable.length === 0) throw new HttpProblem(403, `${caller.user} may list machines.polyfleet.io in none of the namespaces with hosts, which reading their inventory takes`);
    return readable;
  }

  private inventory(caller: Caller, tenant: string): Promise<Inventory> {
    return this.cache.inventory(caller, tenant);
  }

  /** Sends `body` only if it is what the OpenAPI document promises; else a 500 and the mismatch in the log. */
  private send<S extends z.ZodType>(res: ServerResponse, schema: S, body: z.input<S>): void {
    sendJsonText(res, this.checked(res, schema, body));
  }

  /** `body` as JSON if it is what the OpenAPI document promises; else a 500 and the mismatch in the log. */
  private checked<S extends z.ZodType>(res: ServerResponse, schema: S, body: z.input<S>): string {
    const checked = schema.safeParse(body);
    if (!checked.success) {
      this.options.log.error({ path: res.req.url, issues: checked.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })) }, 'response does not match its schema');
      throw new HttpProblem(500, 'the server built a response that does not match its schema; its log says where');
    }
    return JSON.stringify(body);
  }
}

function* withSecretFiles(files: Iterable<BundleFile>, secrets: readonly BundleFile[]): Generator<BundleFile> {
  yield* files;
  yield* secrets;
}
