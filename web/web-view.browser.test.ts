import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../cli/testing/cli-process.js';
import { launchChromium } from './testing/browser.js';
import { axeViolations, pageUntil, screenshot, VIEWPORTS } from './testing/page-checks.js';
import { FOCUSED_TEXT, readyCountIs, RECORD_PROGRESS, RECORDED_PROGRESS, replacedAndRunning, rowNameOfInstance } from './testing/page-scripts.js';
import { closeBrowserAndRun, webViewBase } from '../cli/testing/web-view-run.js';

const quickstart = fileURLToPath(new URL('../examples/quickstart', import.meta.url));
const DEADLINE_MS = 120_000;

/**
 * The web view in a real browser (Debian's chromium through playwright-core), on the quickstart as
 * a user runs it: `polyfleet run` in the background, other commands from their own processes.
 * Every wait polls for what the page shows, up to a deadline that only bounds a broken test.
 */
describe('the web view in a browser, on the quickstart', () => {
  let dir: string;
  let simDir: string;
  let run: BackgroundPolyfleet;
  let browser: Browser;
  let base: string;
  /** Content-Security-Policy complaints the browser logged on any page. */
  const cspViolations: string[] = [];

  function poolFile(edit: (yaml: string) => string, name: string): string {
    const file = join(dir, name);
    writeFileSync(file, edit(readFileSync(join(quickstart, 'nodepool.yaml'), 'utf8')));
    return file;
  }

  async function open(path: string, viewport: { width: number; height: number } = VIEWPORTS[0]): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-web-'));
    simDir = join(dir, 'sim');
    // The pool starts paused, so the page is open at 0/7 before the scale-out begins.
    const paused = poolFile((y) => y.replace(/^spec:\n/m, 'spec:\n  paused: true\n'), 'paused.yaml');
    run = startPolyfleet(dir, ['run', '-f', join(quickstart, 'strategy.yaml'), '-f', join(quickstart, 'placementrule.yaml'), '-f', paused, '--port', '0', '--sim-dir', simDir]);
    base = await webViewBase(run, DEADLINE_MS);
  }, DEADLINE_MS);

  afterAll(() => closeBrowserAndRun(browser, run, dir));

  it('shows the quickstart\'s scale-out live: the pool page goes from 0/7 to 7/7 without a reload', async () => {
    const page = await open('/ui/pools/default/workers');
    await pageUntil(page, readyCountIs('0/7'), '0/7', DEADLINE_MS);
    // Every count the page shows from now on, and a marker a reload would wipe.
    await page.evaluate(RECORD_PROGRESS);
    const started = Date.now();
    expect(runPolyfleet(dir, ['apply', '-f', join(quickstart, 'nodepool.yaml')]).status).toBe(0);
    await pageUntil(page, readyCountIs('7/7'), '7/7', DEADLINE_MS);
    const { seen, phases, marker } = await page.evaluate<{ seen: string[]; phases: string[]; marker?: boolean }>(RECORDED_PROGRESS);
    expect(marker).toBe(true);
    expect(seen[0]).toBe('0/7');
    expect(seen.at(-1)).toBe('7/7');
    const ready = seen.map((s) => Number(s.split('/')[0]));
    expect(ready).toEqual([...ready].sort((a, b) => a - b));
    // The Machines were seen on their way: Provisioning before Running.
    expect(phases.some((p) => /[1-7] Provisioning/.test(p))).toBe(true);
    process.stdout.write(`web view: scale-out 0/7 → 7/7 seen live in ${Date.now() - started} ms; phases shown:\n  ${phases.join('\n  ')}\n`);
    expect(await page.locator('#machine-count').textContent()).toBe('(7)');
    await page.close();
  }, DEADLINE_MS);

  it('shows a Machine whose sim instance was killed failing, and its replacement running', async () => {
    const page = await open('/ui/pools/default/workers');
    await pageUntil(page, readyCountIs('7/7'), '7/7', DEADLINE_MS);
    const listed = runPolyfleet(dir, ['sim', 'instances', '--dir', simDir]);
    const victim = (JSON.parse(listed.stdout) as { id: string; state: string }[]).find((i) => i.state === 'running');
    if (victim === undefined) throw new Error(`no running sim instance: ${listed.stdout}`);
    const name = await page.evaluate<string | null>(rowNameOfInstance(victim.id));
    if (name === null) throw new Error(`no row shows instance ${victim.id}`);
    expect(runPolyfleet(dir, ['sim', 'kill', victim.id, '--dir', simDir]).status).toBe(0);
    const killed = Date.now();
    const failure = page.locator(`#failures li[data-name="${name}"]`);
    await failure.waitFor({ timeout: DEADLINE_MS });
    process.stdout.write(`web view: killed instance's Machine shown failed ${Date.now() - killed} ms after polyfleet sim kill\n`);
    expect(await failure.textContent()).toMatch(new RegExp(`failed: Instance(Failed|Gone): instance ${victim.id} `));
    await pageUntil(page, replacedAndRunning(name, 7), `${name} replaced and 7/7 Running`, DEADLINE_MS);
    expect(await failure.textContent()).toMatch(/— replaced\.$/);
    await page.close();
  }, DEADLINE_MS);

  it('is usable from the keyboard: the overview\'s pool link opens the pool page', async () => {
    const page = await open('/ui/');
    await page.locator('.pool-card').waitFor();
    for (let i = 0; i < 10 && (await page.evaluate<string | null>(FOCUSED_TEXT)) !== 'workers'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ui\/pools\/default\/workers$/);
    await page.locator('#machine-filter').focus();
    await page.keyboard.type('zzz-no-such');
    await page.getByText('No Machine matches the filter.').waitFor();
    await page.close();
  }, DEADLINE_MS);

  it('has no serious or critical axe-core violations and no CSP complaints on any page; screenshots at 1440 and 390 px', async () => {
    for (const viewport of VIEWPORTS) {
      for (const [name, path, ready] of [
        ['overview', '/ui/', '.pool-card'],
        ['pool', '/ui/pools/default/workers', 'tr[data-phase]'],
      ] as const) {
        const page = await open(path, viewport);
        await page.locator(ready).first().waitFor();
        await page.getByText('live', { exact: true }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `${name}-${viewport.width}x${viewport.height}`);
        await page.close();
      }
    }
    expect(cspViolations).toEqual([]);
  }, DEADLINE_MS);

  it('puts a change in the store on the screen quickly (measured, not judged): pausing the pool', async () => {
    const page = await open('/ui/pools/default/workers');
    await page.locator('tr[data-phase]').first().waitFor();
    const started = Date.now();
    expect(runPolyfleet(dir, ['apply', '-f', poolFile((y) => y.replace(/^spec:\n/m, 'spec:\n  paused: true\n'), 'pause.yaml')]).status).toBe(0);
    const applied = Date.now();
    await page.locator('.pool-summary .cost', { hasText: 'paused' }).waitFor({ timeout: DEADLINE_MS });
    process.stdout.write(`web view: pause applied → on screen ${Date.now() - applied} ms after polyfleet apply exited (${applied - started} ms for the apply process)\n`);
    await page.close();
  }, DEADLINE_MS);
});
