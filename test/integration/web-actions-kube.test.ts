// The web view on the real API server: signing in with a service account's token (TokenReview), the
// namespaces it may list (SubjectAccessReview), and the scale and pause controls only for an account
// that may patch the NodePool — the others see no control, and their POST is a 403. In Debian's chromium.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { ProblemDetails, WebSession } from '../../api/index.js';
import { startClusterInventoryApi } from '../../cli/controller/inventory-wiring.js';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import type { InventoryServer } from '../../cli/shared/inventory-server.js';
import { createLogger } from '../../runtime/log.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { launchChromium } from '../../web/testing/browser.js';
import { axeViolations, pageUntil, screenshot } from '../../web/testing/page-checks.js';
import { readyCountIs } from '../../web/testing/page-scripts.js';
import { newPage, signInOnPage, type CspLog } from '../../web/testing/sign-in.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk } from './kubectl.js';

const kubeConfig = loadKubeConfig();
const DEADLINE_MS = 60_000;

describe('the web view on the real API server: RBAC decides who sees and who may scale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-web-kube-'));
  let namespace = '';
  let store: KubeStore;
  let server: InventoryServer;
  let browser: Browser;
  const csp: CspLog = [];
  const tokens: Record<'operator' | 'viewer' | 'outsider', string> = { operator: '', viewer: '', outsider: '' };
  const spec = async (field: string) => (await kubectlOk(['get', 'nodepool', 'workers', '-n', namespace, '-o', `jsonpath={.spec.${field}}`])).trim();

  beforeAll(async () => {
    browser = await launchChromium();
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'web-actions');
    store = new KubeStore({ kubeConfig, logger: pino({ level: 'warn' }), namespaces: [namespace] });
    await store.create(testStrategy(namespace, 's'));
    await store.create({ ...testNodePool(namespace, 'workers', 's'), spec: { ...testNodePool(namespace, 'workers', 's').spec, replicas: 2 } });
    const n = ['-n', namespace];
    for (const sa of ['operator', 'viewer', 'outsider'] as const) await kubectlOk(['create', 'serviceaccount', sa, ...n]);
    await kubectlOk(['create', 'role', 'fleet-viewer', ...n, '--verb=list', '--resource=nodepools.polyfleet.io,machines.polyfleet.io']);
    await kubectlOk(['create', 'role', 'pool-patcher', ...n, '--verb=patch', '--resource=nodepools.polyfleet.io', '--resource-name=workers']);
    await kubectlOk(['create', 'rolebinding', 'fleet-viewers', ...n, '--role=fleet-viewer', `--serviceaccount=${namespace}:operator`, `--serviceaccount=${namespace}:viewer`]);
    await kubectlOk(['create', 'rolebinding', 'pool-patchers', ...n, '--role=pool-patcher', `--serviceaccount=${namespace}:operator`]);
    for (const sa of ['operator', 'viewer', 'outsider'] as const) tokens[sa] = (await kubectlOk(['create', 'token', sa, ...n, '--duration=1h'])).trim();
    server = await startClusterInventoryApi(store, kubeConfig, { host: '127.0.0.1', port: 0 }, createLogger({ level: 'warn' }));
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 without a session and refuses a token the API server does not accept', async () => {
    const none = await fetch(`${server.webUrl}api/snapshot`);
    expect([none.status, ProblemDetails.parse(await none.json()).detail]).toEqual([401, 'no Authorization header; sign in on the page with a token, or send Authorization: Bearer <a Kubernetes token, e.g. kubectl create token NAME>']);
    const forged = await fetch(`${server.webUrl}api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url }, body: JSON.stringify({ token: `${tokens.viewer.slice(0, -4)}AAAA` }) });
    expect([forged.status, ProblemDetails.parse(await forged.json()).detail]).toEqual([401, 'sign-in refused: the API server does not accept the token']);
  }, DEADLINE_MS);

  it('scales from the page as a service account that may patch the NodePool, and the page shows the new count live', async () => {
    const { context, page } = await newPage(browser, csp);
    await signInOnPage(page, `${server.webUrl}pools/${namespace}/workers`, tokens.operator);
    expect(await page.locator('#signed-in-as').textContent()).toBe(`system:serviceaccount:${namespace}:operator`);
    await pageUntil(page, readyCountIs('0/2'), '0/2', DEADLINE_MS);
    await page.locator('#replicas-input').fill('4');
    await page.locator('#scale-button').click();
    await page.locator('#confirm-dialog[open] #confirm-button').click();
    await pageUntil(page, readyCountIs('0/4'), 'the new desired count 0/4, from the store\'s watch', DEADLINE_MS);
    expect(await spec('replicas')).toBe('4');
    await page.getByRole('button', { name: 'Pause…' }).click();
    await page.locator('#confirm-dialog[open]').getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume…' }).waitFor({ timeout: DEADLINE_MS });
    expect(await spec('paused')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pool-kube-operator-1440x900');
    await context.close();
  }, DEADLINE_MS);

  it('shows no control to a service account without patch, and answers its POST with 403', async () => {
    const { context, page } = await newPage(browser, csp);
    await signInOnPage(page, `${server.webUrl}pools/${namespace}/workers`, tokens.viewer);
    await page.locator('#read-only-note').waitFor();
    expect(await page.locator('#ready-count').textContent()).toMatch(/^0\/\d+$/);
    expect(await page.locator('#scale-button, #pause-button, #replicas-input').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pool-kube-viewer-1440x900');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pool-kube-viewer-390x844');
    const before = await spec('replicas');
    const session = WebSession.parse(await (await context.request.get(`${server.webUrl}api/session`)).json());
    const res = await context.request.post(`${server.webUrl}api/pools/${namespace}/workers/scale`, { data: { replicas: 7 }, headers: { Origin: server.url, 'X-CSRF-Token': session.csrfToken } });
    expect([res.status(), res.headers()['content-type']]).toEqual([403, 'application/problem+json']);
    expect(ProblemDetails.parse(await res.json()).detail).toBe(`system:serviceaccount:${namespace}:viewer may not patch nodepools.polyfleet.io "workers" in namespace "${namespace}", which scaling it takes`);
    expect(await spec('replicas')).toBe(before);
    await context.close();
  }, DEADLINE_MS);

  it('shows a service account without list in the namespace none of its pools', async () => {
    const { context, page } = await newPage(browser, csp);
    await signInOnPage(page, server.webUrl, tokens.outsider);
    await page.getByText('No NodePools yet.', { exact: false }).waitFor();
    const snapshot = (await (await context.request.get(`${server.webUrl}api/snapshot`)).json()) as { pools: unknown[]; machines: unknown[] };
    expect([snapshot.pools, snapshot.machines]).toEqual([[], []]);
    await context.close();
    expect(csp).toEqual([]);
  }, DEADLINE_MS);

  describe('polyfleet controller --inventory-addr', () => {
    let controller: BackgroundPolyfleet;
    afterAll(async () => {
      controller.child.kill('SIGTERM');
      await controller.exited;
    });

    it('serves the web view beside the inventory API, asking for a token', async () => {
      controller = startPolyfleet(dir, ['controller', '--namespace', namespace, '--no-leader-elect', '--port', '0', '--inventory-addr', '127.0.0.1:0', '--sim-dir', join(dir, 'sim'), '--log-level', 'info']);
      const live = controller;
      const found = await eventually(
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+\/ui\/)","msg":"serving the web view"/.exec(live.stdout())?.[1] ?? (live.child.exitCode === null ? undefined : `exited: ${live.stderr()}`),
        (u) => u !== undefined,
        'polyfleet controller to serve the web view',
        DEADLINE_MS,
      );
      const url = found ?? '';
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(`${url}api/snapshot`)).status).toBe(401);
      const session = await fetch(`${url}api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: new URL(url).origin }, body: JSON.stringify({ token: tokens.viewer }) });
      expect(session.status).toBe(200);
      const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const snapshot = (await (await fetch(`${url}api/snapshot`, { headers: { Cookie: cookie } })).json()) as { pools: { name: string }[] };
      expect(snapshot.pools.map((p) => p.name)).toEqual(['workers']);
    }, DEADLINE_MS);
  });
});
