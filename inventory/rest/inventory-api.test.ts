import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AnsibleInventoryList, GroupList, HostDetail, HostPage, ProblemDetails, RegionList, TenantList, type Resource } from '../../api/index.js';
import { tokenAccess, type AccessControl } from '../../runtime/auth/index.js';
import { Router, startHttpServer, type HttpServer } from '../../runtime/http/index.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import { capturingLogger } from '../../runtime/testing/log-capture.js';
import { ansibleList } from '../ansible-list.js';
import { conflictTable, hostGroup, runningMachine, TENANT } from '../fixture.js';
import { buildInventory } from '../model.js';
import { resolveHostVars } from '../variables.js';
import { mountInventoryApi } from './inventory-api.js';
import { inventoryOpenApi } from './openapi.js';
import { storeInventoryBackend } from './store-backend.js';

const TOKEN = 'a-test-token-0123456789abcdef';
const OTHER = 'team-b';
const auth = { authorization: `Bearer ${TOKEN}` };

let dir: string;
let store: FileStore;
const servers: HttpServer[] = [];
let url: string;
const { log, lines } = capturingLogger();

async function serve(access: AccessControl): Promise<string> {
  const router = new Router(log);
  mountInventoryApi(router, { backend: storeInventoryBackend(store), access, log, now: () => new Date('2026-01-01T00:00:00Z') });
  const server = await startHttpServer({ what: 'the inventory API', host: '127.0.0.1', port: 0, handle: (req, res) => router.handle(req, res), log });
  servers.push(server);
  return server.url;
}

async function get(path: string, headers: Record<string, string> = auth, base = url): Promise<{ status: number; type: string | null; body: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text(), headers: res.headers };
}

async function json<T>(path: string, schema: { parse(v: unknown): T }): Promise<T> {
  const r = await get(path);
  expect({ path, status: r.status, type: r.type }).toEqual({ path, status: 200, type: 'application/json' });
  return schema.parse(JSON.parse(r.body));
}

function expectProblem(r: { status: number; type: string | null; body: string }, status: number, detail: string | RegExp): void {
  expect({ status: r.status, type: r.type }).toEqual({ status, type: 'application/problem+json' });
  const problem = ProblemDetails.parse(JSON.parse(r.body));
  expect(problem.status).toBe(status);
  if (typeof detail === 'string') expect(problem.detail).toContain(detail);
  else expect(problem.detail).toMatch(detail);
}

/** Every route with real parameters, for the 401 and 403 sweeps. */
const ROUTES = [
  '/v1/tenants',
  `/v1/regions/${TENANT}`,
  '/v1/hosts',
  `/v1/hosts?tenant=${TENANT}`,
  `/v1/hosts/${TENANT}/h1`,
  `/v1/groups/${TENANT}`,
  `/v1/ansible/${TENANT}`,
  `/v1/inventory/${TENANT}.tgz`,
  `/v1/inventory/${TENANT}.zip`,
  `/v1/inventory/${TENANT}/aws-east.us-east-1.tgz`,
  `/v1/inventory/${TENANT}/aws-east.us-east-1.zip`,
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-api-'));
  store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: pino({ level: 'silent' }) });
  const table = conflictTable();
  const other = { ...runningMachine('b1', { region: 'eu-west-1' }), metadata: { name: 'b1', namespace: OTHER, labels: {} } };
  const withSecret = hostGroup('keys', { selector: { matchLabels: { role: 'db' } }, secrets: [{ name: 'ssh', key: 'id_ed25519' }] });
  for (const object of [...table.machines, ...table.hostGroups, other, withSecret] as Resource[]) {
    const { status, ...rest } = object;
    const created = await store.create(rest);
    if (status !== undefined) await store.updateStatus({ ...created, status } as Resource);
  }
  url = await serve(tokenAccess(TOKEN));
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('inventory REST API on the file backend', () => {
  it('serves its OpenAPI 3.1 document without a token, naming every route', async () => {
    const r = await get('/v1/openapi.json', {});
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.body) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc).toEqual(inventoryOpenApi());
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/v1/tenants', '/v1/regions/{tenant}', '/v1/hosts', '/v1/hosts/{tenant}/{name}', '/v1/groups/{tenant}', '/v1/ansible/{tenant}', '/v1/inventory/{tenant}.tgz', '/v1/inventory/{tenant}.zip', '/v1/inventory/{tenant}/{regionId}.tgz', '/v1/inventory/{tenant}/{regionId}.zip', '/v1/openapi.json'].sort(),
    );
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['AnsibleList', 'GroupList', 'HostDetail', 'HostFacts', 'HostPage', 'ProblemDetails', 'RegionList', 'TenantList']);
    const refs = [...r.body.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(refs)).toEqual(new Set(Object.keys(doc.components.schemas).map((id) => `#/components/schemas/${id}`)));
  });

  it.each(ROUTES)('%s: 401 problem without a token or with a wrong one', async (path) => {
    const none = await get(path, {});
    expectProblem(none, 401, 'no Authorization header; send Authorization: Bearer');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expectProblem(await get(path, { authorization: 'Bearer not-the-token-at-all' }), 401, 'the token is not the one this server was given');
    expectProblem(await get(path, { authorization: `Basic ${TOKEN}` }), 401, 'is not "Bearer <token>"');
  });

  it.each(ROUTES)('%s: 403 problem for a caller who may not read the tenant; listings across tenants hold only what the caller may read', async (path) => {
    // The decisions TokenReview + SubjectAccessReview make in a cluster (test/integration covers those).
    const onlyOther = await serve({ ...tokenAccess(TOKEN), allowed: (_c, a) => Promise.resolve(a.namespace === OTHER && a.resource === 'machines') });
    const nothing = await serve({ ...tokenAccess(TOKEN), allowed: () => Promise.resolve(false) });
    const r = await get(path, auth, onlyOther);
    if (path === '/v1/tenants' || path === '/v1/hosts') {
      expect(r.status).toBe(200);
      expect(r.body).not.toContain(TENANT);
      expect(r.body).toContain(OTHER);
      expectProblem(await get(path, auth, nothing), 403, 'token-file may list machines.polyfleet.io in none of the namespaces with hosts');
    } else {
      expectProblem(r, 403, `token-file may not list machines.polyfleet.io in namespace "${TENANT}"`);
    }
  });

  it('lists tenants with their host counts, and each tenant\'s regions with stable URL-safe ids', async () => {
    expect(await json('/v1/tenants', TenantList)).toEqual({ tenants: [{ name: TENANT, hosts: 4 }, { name: OTHER, hosts: 1 }] });
    const regions = await json(`/v1/regions/${TENANT}`, RegionList);
    expect(regions.regions).toEqual([
      { id: 'aws-east.eu-west-1', account: 'aws-east', provider: 'aws', region: 'eu-west-1', hosts: 1 },
      { id: 'aws-east.us-east-1', account: 'aws-east', provider: 'aws', region: 'us-east-1', hosts: 3 },
    ]);
  });

  it('pages /v1/hosts with limit and continue, through every tenant, with filters', async () => {
    const seen: string[] = [];
    let next: string | undefined = '';
    for (let pages = 0; next !== undefined; pages++) {
      expect(pages).toBeLessThan(10);
      const page: HostPage = await json(`/v1/hosts?limit=2${next === '' ? '' : `&continue=${next}`}`, HostPage);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((h) => `${h.tenant}/${h.name}`));
      next = page.continue;
    }
    const inventory = buildInventory(conflictTable());
    expect(seen).toEqual([...[...inventory.hosts.keys()].map((h) => `${TENANT}/${h}`), `${OTHER}/b1`]);
    const web = await json(`/v1/hosts?tenant=${TENANT}&label=role%3Dweb&var=v_prio%3Daaa-high`, HostPage);
    expect(web.items.map((h) => h.name)).toEqual(['h1', 'h2']);
    expect(web.continue).toBeUndefined();
    expect((await json(`/v1/hosts?region=eu-west-1`, HostPage)).items.map((h) => h.name)).toEqual(['h2', 'b1']);
  });

  it('answers a host with its variables, and with blame=true exactly what `inventory vars --blame` resolves', async () => {
    const plain = await json(`/v1/hosts/${TENANT}/h1`, HostDetail);
    expect(plain.blame).toBeUndefined();
    expect(plain.vars).toMatchObject({ v_prio: 'aaa-high', v_child: 'edge', ansible_host: '192.0.2.1' });
    const blamed = await json(`/v1/hosts/${TENANT}/h1?blame=true`, HostDetail);
    expect(blamed.blame).toEqual(JSON.parse(JSON.stringify(resolveHostVars(buildInventory(conflictTable()), 'h1'))));
    expectProblem(await get(`/v1/hosts/${TENANT}/nope`), 404, `host "nope" is not in the inventory of tenant "${TENANT}"`);
  });

  it('answers groups and the Ansible --list JSON', async () => {
    const groups = await json(`/v1/groups/${TENANT}`, GroupList);
    expect(groups.groups.find((g) => g.name === 'edge')).toEqual({ name: 'edge', hosts: ['h1'], children: [], vars: { v_child: 'edge', v_deep: 'edge' }, priority: -5, depth: 2, hostGroup: 'edge' });
    const list = await json(`/v1/ansible/${TENANT}`, AnsibleInventoryList);
    const expected = buildInventory({ ...conflictTable(), hostGroups: [...conflictTable().hostGroups, hostGroup('keys', { selector: { matchLabels: { role: 'db' } } })] });
    expect(list).toEqual(JSON.parse(JSON.stringify(ansibleList(expected))));
  });

  it.each(['tgz', 'zip'] as const)('streams a %s bundle of a region, holding only that region\'s hosts', async (kind) => {
    const res = await fetch(`${url}/v1/inventory/${TENANT}/aws-east.us-east-1.${kind}?label=role%3Dweb`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${TENANT}-aws-east.us-east-1.${kind}"`);
    const file = join(dir, `bundle.${kind}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const out = join(dir, `unpacked-${kind}`);
    mkdirSync(out, { recursive: true });
    const unpack = kind === 'tgz' ? spawnSync('tar', ['-xzf', file, '-C', out]) : spawnSync('python3', ['-m', 'zipfile', '-e', file, out]);
    expect(unpack.status).toBe(0);
    expect(readFileSync(join(out, 'inventory.yml'), 'utf8')).toContain('h1');
    expect(readFileSync(join(out, 'host_vars/h1.yml'), 'utf8')).toContain('ansible_host: "192.0.2.1"');
    expect(() => readFileSync(join(out, 'host_vars/h2.yml'))).toThrow();
    expect(() => readFileSync(join(out, 'host_vars/h3.yml'))).toThrow();
  });

  it('refuses secrets=true on a store without Secrets (etcd) whose HostGroups attach Secrets, rather than leave them out silently', async () => {
    expectProblem(await get(`/v1/inventory/${TENANT}.tgz?secrets=true`), 409, 'HostGroup "keys" attach Secrets, and none can be read here: an etcd store keeps no Secrets (give polyfleet --sources-dir DIR');
    expect((await get(`/v1/inventory/${TENANT}.tgz?secrets=false`)).status).toBe(200);
  });

  it('explains bad requests as problems naming the parameter or the path', async () => {
    expectProblem(await get('/v1/hosts?limit=0'), 400, 'query parameter limit must be a whole number from 1 to 1000, got "0"');
    expectProblem(await get('/v1/hosts?continue=garbage'), 400, 'query parameter continue is not a token this server gave out');
    expectProblem(await get('/v1/hosts?label=noequals'), 400, 'query parameter label must be KEY=VALUE');
    expectProblem(await get(`/v1/hosts/${TENANT}/h1?blame=yes`), 400, 'query parameter blame must be true or false, got "yes"');
    expectProblem(await get('/v1/tenants?tenant=x'), 400, 'unknown query parameter "tenant"; this path takes none');
    expectProblem(await get(`/v1/inventory/${TENANT}/nowhere.tgz`), 404, `tenant "${TENANT}" has no hosts in region "nowhere"; GET /v1/regions/${TENANT} lists the region ids`);
    expectProblem(await get('/v2/nothing'), 404, 'no such path /v2/nothing; the paths are /v1/openapi.json, /v1/tenants');
    const post = await fetch(`${url}/v1/tenants`, { method: 'POST', headers: auth });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(lines.filter((l) => l.level === 50)).toEqual([]);
  });

  it('keeps a tenant\'s inventory between requests, and answers anew once one of its HostGroups or Machines is written', async () => {
    const path = `/v1/ansible/${TENANT}`;
    const before = await json(path, AnsibleInventoryList);
    expect(await json(path, AnsibleInventoryList)).toEqual(before);
    expect(before.late).toBeUndefined();
    const late = await store.create(hostGroup('late', { hosts: ['h1'], vars: { v_late: 1 } }));
    try {
      await until(async () => (await json(path, AnsibleInventoryList)).late !== undefined, 'the new HostGroup in /v1/ansible');
      expect((await json(path, AnsibleInventoryList)).late).toEqual({ hosts: ['h1'], vars: { v_late: 1 } });
      const h2 = await store.get('Machine', { namespace: TENANT, name: 'h2' });
      await store.update({ ...(h2 as Resource & { kind: 'Machine' }), metadata: { ...(h2 as Resource).metadata, labels: { role: 'none' } } });
      await until(async () => !((await json(path, AnsibleInventoryList)).web?.hosts ?? []).includes('h2'), 'h2 to leave group web once its label changed');
    } finally {
      await store.delete('HostGroup', { namespace: TENANT, name: late.metadata.name });
      const h2 = await store.get('Machine', { namespace: TENANT, name: 'h2' });
      await store.update({ ...(h2 as Resource & { kind: 'Machine' }), metadata: { ...(h2 as Resource).metadata, labels: { role: 'web' } } });
    }
    await until(async () => JSON.stringify(await json(path, AnsibleInventoryList)) === JSON.stringify(before), 'the first answer again once both writes are undone');
  });
});

/** Polls `check` until it holds: the watch that empties the cache reports a write soon after it, not at once. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
