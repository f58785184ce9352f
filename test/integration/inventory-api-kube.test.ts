// The inventory REST API in a cluster: every request is decided by the real API server — the token
// by a TokenReview, each read by a SubjectAccessReview for that user — so three service accounts
// get three different answers: one with list on machines and get on secrets, one with list only,
// one with nothing. A Secret's value reaches only the first: never a response to the others, nor
// the server's log, nor an Event. And `polyfleet controller --inventory-addr` serves it the same way.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { HostDetail, ProblemDetails, TenantList, type Machine } from '../../api/index.js';
import { startClusterInventoryApi } from '../../cli/controller/inventory-wiring.js';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { conflictTable, hostGroup } from '../../inventory/fixture.js';
import type { HttpServer } from '../../runtime/http/index.js';
import { createLogger } from '../../runtime/log.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { schemathesis, schemathesisBin } from '../tools/schemathesis.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk } from './kubectl.js';

const kubeConfig = loadKubeConfig();
/** Values of Secrets: each may appear only in answers to the service account allowed to get it. */
const CANARY_FILE = 'canary-ssh-key-9f1c0e7d';
const CANARY_VAR = 'canary-secret-var-4b2a7c1e';

describe('inventory REST API on the real API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-api-kube-'));
  let namespace = '';
  let store: KubeStore;
  let server: HttpServer;
  const logLines: string[] = [];
  const tokens: Record<'reader' | 'lister' | 'outsider', string> = { reader: '', lister: '', outsider: '' };
  const routes = () => [
    '/v1/tenants',
    `/v1/regions/${namespace}`,
    '/v1/hosts',
    `/v1/hosts?tenant=${namespace}`,
    `/v1/hosts/${namespace}/h1?blame=true`,
    `/v1/groups/${namespace}`,
    `/v1/ansible/${namespace}`,
    `/v1/inventory/${namespace}.tgz`,
    `/v1/inventory/${namespace}.zip`,
    `/v1/inventory/${namespace}/aws-east.us-east-1.tgz`,
    `/v1/inventory/${namespace}/aws-east.us-east-1.zip`,
  ];
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };
  const problem = (r: { type: string | null; body: Buffer }) => {
    expect(r.type).toBe('application/problem+json');
    return ProblemDetails.parse(JSON.parse(r.body.toString()));
  };
  /** Every file of a .tgz answer, by path. */
  const unpacked = (body: Buffer, name: string): Map<string, string> => {
    const out = join(dir, name);
    mkdirSync(out, { recursive: true });
    writeFileSync(`${out}.tgz`, body);
    expect(spawnSync('tar', ['-xzf', `${out}.tgz`, '-C', out]).status).toBe(0);
    const list = spawnSync('tar', ['-tzf', `${out}.tgz`], { encoding: 'utf8' }).stdout.split('\n').filter((p) => p !== '' && !p.endsWith('/'));
    return new Map(list.map((p) => [p, readFileSync(join(out, p), 'utf8')]));
  };

  beforeAll(async () => {
    schemathesisBin();
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'inventory-api');
    store = new KubeStore({ kubeConfig, logger: pino({ level: 'warn' }), namespaces: [namespace] });
    for (const m of conflictTable().machines) {
      const { status, ...rest } = { ...m, metadata: { ...m.metadata, namespace } } as Machine;
      const created = await store.create(rest);
      if (status !== undefined) await store.updateStatus({ ...created, status });
    }
    const n = ['-n', namespace];
    await kubectlOk(['create', 'secret', 'generic', 'ssh', ...n, '--type=polyfleet.io/credentials', `--from-literal=id_ed25519=${CANARY_FILE}`]);
    await kubectlOk(['create', 'secret', 'generic', 'secret-vars', ...n, '--type=polyfleet.io/credentials', `--from-literal=vars.yaml=v_secret: ${CANARY_VAR}\n`]);
    const groups = [
      ...conflictTable().hostGroups,
      hostGroup('keys', { hosts: ['h1'], secrets: [{ name: 'ssh', key: 'id_ed25519', path: 'ssh/id_ed25519' }] }),
      hostGroup('secret-vars', { hosts: ['h1'], varsFrom: [{ secretKeyRef: { name: 'secret-vars', key: 'vars.yaml' } }], vars: { v_plain: 'plain' } }),
    ];
    for (const g of groups) await store.create({ ...g, metadata: { ...g.metadata, namespace } });
    for (const sa of ['reader', 'lister', 'outsider'] as const) await kubectlOk(['create', 'serviceaccount', sa, ...n]);
    await kubectlOk(['create', 'role', 'machine-lister', ...n, '--verb=list', '--resource=machines.polyfleet.io']);
    await kubectlOk(['create', 'role', 'secret-getter', ...n, '--verb=get', '--resource=secrets']);
    await kubectlOk(['create', 'rolebinding', 'readers-list', ...n, '--role=machine-lister', `--serviceaccount=${namespace}:reader`, `--serviceaccount=${namespace}:lister`]);
    await kubectlOk(['create', 'rolebinding', 'reader-gets', ...n, '--role=secret-getter', `--serviceaccount=${namespace}:reader`]);
    for (const sa of ['reader', 'lister', 'outsider'] as const) tokens[sa] = (await kubectlOk(['create', 'token', sa, ...n, '--duration=1h'])).trim();
    const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
    server = await startClusterInventoryApi(store, kubeConfig, { host: '127.0.0.1', port: 0 }, log);
    await eventually(() => get(`/v1/hosts?tenant=${namespace}`, tokens.reader), (r) => r.status === 200 && r.body.toString().includes('"h3"'), 'the hosts to be listed');
  }, 120_000);

  afterAll(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 on every route without a token or with one the API server does not accept', async () => {
    for (const path of routes()) {
      const none = await get(path);
      expect({ path, status: none.status }).toEqual({ path, status: 401 });
      expect(problem(none).detail).toBe('no Authorization header; send Authorization: Bearer <a Kubernetes token, e.g. kubectl create token NAME>');
      const forged = await get(path, `${tokens.reader.slice(0, -4)}AAAA`);
      expect({ path, status: forged.status }).toEqual({ path, status: 401 });
      expect(problem(forged).detail).toContain('the API server does not accept the token');
    }
  }, 60_000);

  it('answers 403 on every route to a service account without RBAC on the tenant, naming what it lacks', async () => {
    for (const path of routes()) {
      const r = await get(path, tokens.outsider);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(problem(r).detail).toMatch(new RegExp(`^system:serviceaccount:${namespace}:outsider may (not list machines.polyfleet.io in namespace "${namespace}"|list machines.polyfleet.io in none of the namespaces)`));
    }
  }, 60_000);

  it('gives a caller with list on machines and get on the Secrets everything, Secrets included', async () => {
    expect(TenantList.parse(JSON.parse((await get('/v1/tenants', tokens.reader)).body.toString()))).toEqual({ tenants: [{ name: namespace, hosts: 4 }] });
    const h1 = HostDetail.parse(JSON.parse((await get(`/v1/hosts/${namespace}/h1?blame=true`, tokens.reader)).body.toString()));
    expect(h1.vars).toMatchObject({ v_secret: CANARY_VAR, v_plain: 'plain' });
    const bundle = await get(`/v1/inventory/${namespace}.tgz?secrets=true`, tokens.reader);
    expect(bundle.status).toBe(200);
    expect(unpacked(bundle.body, 'reader').get('secrets/ssh/id_ed25519')).toBe(CANARY_FILE);
  }, 60_000);

  it('polyfleet inventory export --secrets --kubeconfig: with your rights, all or nothing, asked of the API server first; without list, an error naming it', async () => {
    // The CLI reads through informers (list and watch), which a reader of the inventory needs as kubectl get -w would.
    const n = ['-n', namespace];
    await kubectlOk(['create', 'role', 'inventory-cli', ...n, '--verb=list,watch', '--resource=machines.polyfleet.io,hostgroups.polyfleet.io']);
    await kubectlOk(['create', 'rolebinding', 'inventory-cli', ...n, '--role=inventory-cli', `--serviceaccount=${namespace}:reader`, `--serviceaccount=${namespace}:lister`]);
    const kubeconfigOf = (sa: 'reader' | 'lister' | 'outsider') => {
      const cluster = kubeConfig.getCurrentCluster();
      if (cluster === null) throw new Error('the test kubeconfig has no current cluster');
      const own = new KubeConfig();
      own.loadFromOptions({ clusters: [cluster], users: [{ name: sa, token: tokens[sa] }], contexts: [{ name: sa, cluster: cluster.name, user: sa }], currentContext: sa });
      const path = join(dir, `${sa}.kubeconfig`);
      writeFileSync(path, own.exportConfig(), { mode: 0o600 });
      return path;
    };
    // In a process of its own, awaited: a spawnSync would stall this process's server for as long.
    const polyfleet = async (argv: readonly string[]) => {
      const p = startPolyfleet(dir, argv);
      return { status: await p.exited, stdout: p.stdout(), stderr: p.stderr() };
    };
    const reader = await polyfleet(['inventory', 'export', '--secrets', '-o', join(dir, 'cli-reader'), '--kubeconfig', kubeconfigOf('reader'), '-n', namespace]);
    expect({ status: reader.status, stderr: reader.stderr }).toMatchObject({ status: 0 });
    expect(readFileSync(join(dir, 'cli-reader', 'secrets', 'ssh', 'id_ed25519'), 'utf8')).toBe(CANARY_FILE);
    const lister = await polyfleet(['inventory', 'export', '--secrets', '-o', join(dir, 'cli-lister.tgz'), '--kubeconfig', kubeconfigOf('lister'), '-n', namespace]);
    expect(lister.status).toBe(1);
    expect(lister.stderr).toContain(`you may not get Secret "ssh" in namespace "${namespace}", which the hosts of this bundle use; export without --secrets, or for get on them (nothing was written)`);
    expect(existsSync(join(dir, 'cli-lister.tgz'))).toBe(false);
    // Without list and watch the informers would retry for ever: the command says what is missing instead.
    const outsider = await polyfleet(['inventory', '--list', '--kubeconfig', kubeconfigOf('outsider'), '-n', namespace]);
    expect(outsider.status).toBe(1);
    expect(outsider.stderr).toContain(`you may not list machines.polyfleet.io, watch machines.polyfleet.io, list hostgroups.polyfleet.io, watch hostgroups.polyfleet.io in namespace "${namespace}"`);
    for (const out of [reader.stdout, reader.stderr, lister.stdout, lister.stderr]) {
      expect(out).not.toContain(CANARY_FILE);
      expect(out).not.toContain(CANARY_VAR);
    }
  }, 60_000);

  it('never shows a Secret\'s value to a caller without get on it: its varsFrom is left out and said so, and secrets=true is a 403 naming the Secret', async () => {
    const h1 = HostDetail.parse(JSON.parse((await get(`/v1/hosts/${namespace}/h1?blame=true`, tokens.lister)).body.toString()));
    expect(h1.vars).toMatchObject({ v_plain: 'plain' });
    expect(h1.vars.v_secret).toBeUndefined();
    expect(h1.problems).toContain(`HostGroup "secret-vars" varsFrom[0]: Secret "secret-vars" key "vars.yaml" not used: system:serviceaccount:${namespace}:lister may not get this Secret (RBAC)`);
    const asked = await get(`/v1/inventory/${namespace}.tgz?secrets=true`, tokens.lister);
    expect(asked.status).toBe(403);
    expect(problem(asked).detail).toBe(`system:serviceaccount:${namespace}:lister may not get Secret "ssh" in namespace "${namespace}", which the hosts of this bundle use; ask without secrets=true, or for get on them`);
    const plain = await get(`/v1/inventory/${namespace}.tgz`, tokens.lister);
    expect([...unpacked(plain.body, 'lister').keys()].filter((p) => p.startsWith('secrets/'))).toEqual([]);
    // Canary: no answer of any route, nor the server's log, nor an Event of the namespace holds a Secret's value.
    for (const path of [...routes(), ...routes().map((p) => `${p}${p.includes('?') ? '&' : '?'}secrets=true`)]) {
      const r = await get(path, tokens.lister);
      const text = path.endsWith('.tgz') || path.includes('.tgz?') ? spawnSync('tar', ['-xzOf', '-'], { input: r.body }).stdout.toString() : r.body.toString();
      for (const canary of [CANARY_FILE, CANARY_VAR]) expect({ path, leaked: text.includes(canary) || r.body.includes(canary) }).toEqual({ path, leaked: false });
    }
    const events = await kubectlOk(['get', 'events', '-n', namespace, '-o', 'json']);
    for (const text of [logLines.join('\n'), events]) for (const canary of [CANARY_FILE, CANARY_VAR]) expect(text.includes(canary)).toBe(false);
  }, 120_000);

  it('holds no 5xx and no answer outside /v1/openapi.json for schemathesis, as a caller with and one without RBAC', async () => {
    for (const who of ['reader', 'lister'] as const) {
      const result = await schemathesis(`${server.url}/v1/openapi.json`, server.url, { authorization: `Bearer ${tokens[who]}` }, dir);
      expect({ who, code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({ who, code: 0, output: '' });
    }
    for (const canary of [CANARY_FILE, CANARY_VAR]) expect(logLines.join('\n').includes(canary)).toBe(false);
  }, 600_000);

  describe('polyfleet controller --inventory-addr', () => {
    let controller: BackgroundPolyfleet;
    afterAll(async () => {
      controller.child.kill('SIGTERM');
      await controller.exited;
    });

    it('serves the same API, deciding with the caller\'s token', async () => {
      controller = startPolyfleet(dir, ['controller', '--namespace', namespace, '--no-leader-elect', '--port', '0', '--inventory-addr', '127.0.0.1:0', '--sim-dir', join(dir, 'sim'), '--log-level', 'info']);
      const live = controller;
      const url = await eventually(
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+)","msg":"serving the inventory API"/.exec(live.stdout())?.[1] ?? (live.child.exitCode === null ? undefined : `exited: ${live.stderr()}`),
        (u) => u !== undefined,
        'polyfleet controller to serve the inventory API',
        60_000,
      );
      expect(url).toMatch(/^http:/);
      expect((await fetch(`${url}/v1/tenants`)).status).toBe(401);
      expect((await fetch(`${url}/v1/regions/${namespace}`, { headers: { authorization: `Bearer ${tokens.outsider}` } })).status).toBe(403);
      const ok = await fetch(`${url}/v1/regions/${namespace}`, { headers: { authorization: `Bearer ${tokens.reader}` } });
      expect(ok.status).toBe(200);
      for (const canary of [CANARY_FILE, CANARY_VAR]) expect(`${live.stdout()}${live.stderr()}`.includes(canary)).toBe(false);
    }, 90_000);
  });
});
