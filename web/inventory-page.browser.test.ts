import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { hostGroup, runningMachine, TENANT } from '../inventory/fixture.js';
import { mountInventoryApi, storeInventoryBackend } from '../inventory/index.js';
import { loopbackAccess } from '../runtime/auth/index.js';
import { Router } from '../runtime/http/index.js';
import { MemoryStore } from '../runtime/testing/memory-store.js';
import { launchChromium } from './testing/browser.js';
import { axeViolations, pageUntil, screenshot, VIEWPORTS } from './testing/page-checks.js';
import { pageSession, type PageSession } from './testing/page-session.js';
import { createWebView, type WebView } from './web-view.js';

const DEADLINE_MS = 60_000;

/** The cells of the blame table's row for `variable`. */
function blameRow(variable: string): string {
  return `[...document.querySelectorAll('#blame tr[data-var=${JSON.stringify(variable)}] td')].map((td) => td.textContent)`;
}

/**
 * The inventory page in chromium, served as the web view is on the inventory API's server: the
 * page reads /v1/… from its own origin (the web view may not import inventory/; the REST API is
 * how it sees the inventory, with the caller's credentials).
 */
describe('the inventory page in a browser', () => {
  let store: MemoryStore;
  let web: WebView;
  let server: Server;
  let browser: Browser;
  let base = '';
  let pages: PageSession;

  beforeAll(async () => {
    store = new MemoryStore();
    for (const m of [runningMachine('h1', { labels: { role: 'web' }, publicIp: '192.0.2.1' }), runningMachine('h2', { labels: { role: 'web' } })]) await store.create(m);
    for (const g of [
      hostGroup('all', { vars: { v_site: 'all', v_child: 'all' } }),
      hostGroup('web', { selector: { matchLabels: { role: 'web' } }, children: ['edge'], vars: { v_child: 'web', http_port: 8080 } }),
      hostGroup('edge', { hosts: ['h1'], vars: { v_child: 'edge' } }),
    ]) {
      await store.create(g);
    }
    const log = pino({ level: 'silent' });
    const router = new Router(log);
    mountInventoryApi(router, { backend: storeInventoryBackend(store), access: loopbackAccess(), log });
    web = createWebView({ store, batchMs: 20 });
    server = createServer((req, res) => {
      void web.handle(req, res).then((answered) => (answered ? undefined : router.handle(req, res)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    pages = pageSession(browser, () => base);
  }, DEADLINE_MS);

  afterAll(async () => {
    await browser.close();
    web.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('shows the groups, the hosts, and a host\'s variables with blame, from the keyboard', async () => {
    const page = await pages.open('/ui/inventory');
    await page.locator('#hosts tr[data-host="h2"]').waitFor({ timeout: DEADLINE_MS });
    expect(await page.locator('#tenant option[selected]').textContent()).toBe(`${TENANT} (2 hosts)`);
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll('#groups tr[data-group]')].map((tr) => tr.dataset.group)`)).toEqual(expect.arrayContaining(['all', 'web', 'edge']));
    expect(await page.locator('#groups tr[data-group="web"] td.vars').textContent()).toBe('v_child=webhttp_port=8080');
    await page.locator('button[data-host="h1"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('#blame').waitFor();
    // edge is web's child, so it wins; what it overrode is listed, first overridden first.
    expect(await page.evaluate<string[]>(blameRow('v_child'))).toEqual(['v_child', 'edge', 'group edge', 'all from group all; web from group web']);
    expect(await page.evaluate<string[]>(blameRow('http_port'))).toEqual(['http_port', '8080', 'group web', '']);
    await page.keyboard.press('Enter');
    expect(await page.locator('#host-detail').isHidden()).toBe(true);
    expect(await page.evaluate<string | null>('document.activeElement?.dataset.host ?? null')).toBe('h1');
    await page.close();
  }, DEADLINE_MS);

  it('shows a new host without a reload once its Machine runs', async () => {
    const page = await pages.open('/ui/inventory');
    await page.locator('#hosts tr[data-host="h2"]').waitFor({ timeout: DEADLINE_MS });
    await page.evaluate('window.marker = true');
    await store.create(runningMachine('h3', { labels: { role: 'web' } }));
    await pageUntil(page, `document.querySelector('#hosts tr[data-host="h3"]') !== null && window.marker === true`, 'host h3', DEADLINE_MS);
    expect(await page.locator('#hosts tr[data-host="h3"] td').last().textContent()).toContain('web');
    await page.close();
  }, DEADLINE_MS);

  it('says so when the web view is served without the inventory API beside it', async () => {
    const alone = createServer((req, res) => {
      void web.handle(req, res).then((answered) => (answered ? undefined : res.writeHead(404).end()));
    });
    await new Promise<void>((resolve) => alone.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(alone.address() as AddressInfo).port}/ui/inventory`);
    await page.getByText('This web view is not served by the inventory API\'s server').waitFor({ timeout: DEADLINE_MS });
    await page.close();
    alone.closeAllConnections();
    await new Promise((resolve) => alone.close(resolve));
  }, DEADLINE_MS);

  it('has no serious or critical axe-core violations and no CSP complaints; screenshots at 1440 and 390 px', async () => {
    for (const viewport of VIEWPORTS) {
      const page = await pages.open('/ui/inventory', viewport);
      await page.locator('button[data-host="h1"]').click();
      await page.locator('#blame').waitFor({ timeout: DEADLINE_MS });
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `inventory-${viewport.width}x${viewport.height}`);
      await page.close();
    }
    expect(pages.cspViolations).toEqual([]);
  }, DEADLINE_MS);
});
