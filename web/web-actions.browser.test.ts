import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { ProblemDetails } from '../api/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../cli/testing/cli-process.js';
import { eventually } from '../runtime/testing/async.js';
import { launchChromium } from './testing/browser.js';
import { axeViolations, pageUntil, screenshot, VIEWPORTS } from './testing/page-checks.js';
import { RECORD_PROGRESS, RECORDED_PROGRESS, readyCountIs } from './testing/page-scripts.js';
import { newPage, signInOnPage, type CspLog } from './testing/sign-in.js';
import { closeBrowserAndRun } from '../cli/testing/web-view-run.js';

const quickstart = fileURLToPath(new URL('../examples/quickstart', import.meta.url));
const DEADLINE_MS = 120_000;
const TOKEN = 'f3b0c4a1d2e5f60718293a4b5c6d7e8f';

/**
 * The web view of `polyfleet run --inventory-token-file`, in Debian's chromium: signing in with the
 * token, scaling and pausing from the page (confirmed first) and seeing it happen live, and the
 * refusals a user never meets but an attacker would: no session, a POST from another origin or
 * without the session's CSRF token, and the probe port, which serves nothing of the fleet.
 */
describe('the web view with a token, in a browser: sign-in and guarded actions', () => {
  let dir: string;
  let run: BackgroundPolyfleet;
  let browser: Browser;
  let base: string;
  let probes: string;
  const csp: CspLog = [];

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-web-actions-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    run = startPolyfleet(dir, ['run', '-f', quickstart, '--port', '0', '--inventory-token-file', join(dir, 'token'), '--sim-dir', join(dir, 'sim')]);
    const printed = /web view: (\S+)\/ui\/ \(sign in with the token of --inventory-token-file\)\n/;
    await eventually(() => printed.test(run.stdout()) || run.child.exitCode !== null, 'polyfleet run to print the web view\'s URL', DEADLINE_MS);
    base = printed.exec(run.stdout())?.[1] ?? `run exited: ${run.stderr()}`;
    probes = /serving (http:\/\/\S+)\/metrics/.exec(run.stdout())?.[1] ?? '';
  }, DEADLINE_MS);

  afterAll(() => closeBrowserAndRun(browser, run, dir));

  it('shows nothing of the fleet without a session: 401 problem+json, a sign-in form that says a wrong token is wrong', async () => {
    const snapshot = await fetch(`${base}/ui/api/snapshot`);
    expect([snapshot.status, snapshot.headers.get('content-type')]).toEqual([401, 'application/problem+json']);
    expect(ProblemDetails.parse(await snapshot.json()).detail).toBe('no Authorization header; sign in on the page with a token, or send Authorization: Bearer <the token of --inventory-token-file>');
    for (const viewport of VIEWPORTS) {
      const { context, page } = await newPage(browser, csp, viewport);
      await page.goto(`${base}/ui/pools/default/workers`);
      await page.locator('#token').fill('not-the-token-0000000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#sign-in-error', { hasText: 'sign-in refused: the token is not the one this server was given' }).waitFor();
      expect(await page.locator('#pool-summary').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `sign-in-${viewport.width}x${viewport.height}`);
      await page.locator('#token').fill(TOKEN);
      await page.keyboard.press('Enter');
      await page.locator('#ready-count').waitFor();
      expect(await page.locator('#signed-in-as').textContent()).toBe('token-file');
      await context.close();
    }
  }, DEADLINE_MS);

  it('scales the pool from the page after a confirmation, and the page shows the new count live', async () => {
    const { context, page } = await newPage(browser, csp);
    await signInOnPage(page, `${base}/ui/pools/default/workers`, TOKEN);
    await pageUntil(page, readyCountIs('7/7'), '7/7', DEADLINE_MS);
    await page.evaluate(RECORD_PROGRESS);
    // Escape in the dialog changes nothing.
    await page.locator('#replicas-input').fill('2');
    await page.locator('#scale-button').click();
    await page.locator('#confirm-dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#confirm-dialog:not([open])').waitFor({ state: 'attached' });
    expect(await page.locator('#ready-count').textContent()).toBe('7/7');
    await page.locator('#replicas-input').fill('8');
    await page.locator('#scale-button').click();
    const dialog = page.locator('#confirm-dialog[open]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('From 6 replicas to 8. 2 more nodes will be created (and paid for).');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pool-scale-confirm-1440x900');
    const asked = Date.now();
    await page.locator('#confirm-button').click();
    await page.locator('#action-status', { hasText: 'Scaled workers to 8 replicas' }).waitFor();
    await pageUntil(page, 'document.getElementById(\'ready-count\')?.textContent.endsWith(\'/9\')', 'the desired count 9', DEADLINE_MS);
    const shown = Date.now();
    await pageUntil(page, readyCountIs('9/9'), '9/9', DEADLINE_MS);
    process.stdout.write(`web view: scale to 8 (+1 spare) confirmed → desired 9 on screen in ${shown - asked} ms, 9/9 running after ${Date.now() - asked} ms\n`);
    const { seen, marker } = await page.evaluate<{ seen: string[]; marker?: boolean }>(RECORDED_PROGRESS);
    expect(marker).toBe(true);
    expect(seen.at(-1)).toBe('9/9');
    const get = runPolyfleet(dir, ['get', 'nodepools']);
    expect(get.stdout).toMatch(/^workers +9 +9 /m);
    await context.close();
  }, DEADLINE_MS);

  it('pauses and resumes the pool from the page', async () => {
    const { context, page } = await newPage(browser, csp);
    await signInOnPage(page, `${base}/ui/pools/default/workers`, TOKEN);
    for (const [button, word, next] of [['Pause…', 'Pause', 'Resume…'], ['Resume…', 'Resume', 'Pause…']] as const) {
      await page.getByRole('button', { name: button }).click();
      await page.locator('#confirm-dialog[open]').getByRole('button', { name: word }).click();
      await page.getByRole('button', { name: next }).waitFor({ timeout: DEADLINE_MS });
      expect(await page.locator('.pool-summary .cost').textContent()).toMatch(word === 'Pause' ? / · paused/ : /^(?!.*paused)/);
    }
    await context.close();
  }, DEADLINE_MS);

  it('refuses a change without the session\'s CSRF token, or from another site\'s page though the browser sends the cookie', async () => {
    const { context, page } = await newPage(browser, csp);
    await signInOnPage(page, `${base}/ui/`, TOKEN);
    const scale = `${base}/ui/api/pools/default/workers/scale`;
    // The browser's own cookie jar, as a script on the page would use it, but without the CSRF token.
    const noCsrf = await context.request.post(scale, { data: { replicas: 1 }, headers: { Origin: base } });
    expect([noCsrf.status(), noCsrf.headers()['content-type'], ((await noCsrf.json()) as ProblemDetails).detail]).toEqual([
      403,
      'application/problem+json',
      'the X-CSRF-Token header is missing: refused as a possible cross-site request; reload the page',
    ]);
    // Another page on the same machine (same site, so SameSite lets the cookie go): its POST is refused by Origin.
    const attacker: Server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const other = await context.newPage();
      await other.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const seen: { status: number; cookie: boolean }[] = [];
      await other.route(scale, async (route) => {
        const response = await route.fetch();
        seen.push({ status: response.status(), cookie: (route.request().headers().cookie ?? '').includes('polyfleet_session=') });
        await route.fulfill({ response });
      });
      await other.evaluate(`fetch(${JSON.stringify(scale)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{"replicas":1}' }).catch(() => undefined)`);
      await eventually(() => seen.length > 0, 'the cross-site POST to reach the server');
      expect(seen).toEqual([{ status: 403, cookie: true }]);
    } finally {
      attacker.close();
    }
    const pools = (await (await context.request.get(`${base}/ui/api/snapshot`)).json()) as { pools: { name: string; replicas: number }[] };
    expect(pools.pools.find((p) => p.name === 'workers')?.replicas).not.toBe(1);
    await context.close();
  }, DEADLINE_MS);

  it('serves nothing of the fleet on the probe port, and no CSP complaint was logged on any page', async () => {
    expect(probes).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ['/ui/', '/ui/api/snapshot', '/ui/api/events', '/ui/api/pools/default/workers/events']) {
      const res = await fetch(`${probes}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).toBe(`no such path ${path}; try /healthz, /readyz or /metrics\n`);
    }
    expect((await fetch(`${probes}/healthz`)).status).toBe(200);
    expect(csp).toEqual([]);
  });
});
