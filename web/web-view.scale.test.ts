import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { MemoryStore } from '../runtime/testing/memory-store.js';
import { testMachine, testNodePool, testStrategy } from '../runtime/testing/objects.js';
import { launchChromium } from './testing/browser.js';
import { pageUntil } from './testing/page-checks.js';
import { createWebView, type WebView } from './web-view.js';

const MACHINES = 10_000;
const DEADLINE_MS = 60_000;

/** What the page does with 10,000 rows: the rows in the DOM, and how long frames took while scrolling. */
const SCROLL_THROUGH = `(async () => {
  const scroller = document.querySelector('.vt');
  const frames = [];
  let last = performance.now();
  for (let i = 0; i < 60; i++) {
    scroller.scrollTop += scroller.scrollHeight / 60;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  scroller.scrollTop = scroller.scrollHeight;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  frames.sort((a, b) => a - b);
  return {
    rowsInDom: document.querySelectorAll('tr[data-name]').length,
    lastSlotShown: Math.max(...[...document.querySelectorAll('tr[data-name] td:nth-child(2)')].map((td) => Number(td.textContent))),
    medianFrameMs: frames[frames.length >> 1],
    worstFrameMs: frames[frames.length - 1],
  };
})()`;

/** A pool of 10,000 Machines on the page, from a store in this process: load time and scrolling, measured. */
describe('the pool page with 10,000 Machines', () => {
  let browser: Browser;
  let server: Server;
  let web: WebView;
  let base: string;

  beforeAll(async () => {
    const store = new MemoryStore();
    await store.create(testStrategy('default', 's'));
    const pool = await store.create({ ...testNodePool('default', 'big', 's'), kind: 'NodePool' });
    const template = testMachine(pool, 'big-0');
    for (let slot = 0; slot < MACHINES; slot++) {
      await store.create({ ...template, metadata: { ...template.metadata, name: `big-${String(slot).padStart(5, '0')}` }, spec: { ...template.spec, slot } });
    }
    web = createWebView({ store });
    server = createServer((req, res) => {
      void web.handle(req, res).then((answered) => {
        if (!answered) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, DEADLINE_MS);

  afterAll(async () => {
    await browser.close();
    web.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('draws only the rows in view, reaches the last one by scrolling, and prints load and scroll figures', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const started = Date.now();
    await page.goto(`${base}/ui/pools/default/big`);
    await pageUntil(page, `document.getElementById('machine-count')?.textContent === '(${MACHINES})'`, `${MACHINES} Machines`, DEADLINE_MS);
    const loadedMs = Date.now() - started;
    const figures = await page.evaluate<{ rowsInDom: number; lastSlotShown: number; medianFrameMs: number; worstFrameMs: number }>(SCROLL_THROUGH);
    process.stdout.write(
      `web view, ${MACHINES} Machines: table filled ${loadedMs} ms after navigation; scrolling through in 60 steps: median frame ${figures.medianFrameMs.toFixed(1)} ms, worst ${figures.worstFrameMs.toFixed(1)} ms; ${figures.rowsInDom} rows in the DOM\n`,
    );
    expect(figures.rowsInDom).toBeLessThan(100);
    expect(figures.lastSlotShown).toBe(MACHINES - 1);
    await page.close();
  }, DEADLINE_MS);
});
