import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../cli/testing/cli-process.js';
import { launchChromium } from './testing/browser.js';
import { axeViolations, pageUntil, screenshot, VIEWPORTS } from './testing/page-checks.js';
import { OVERVIEW_FIGURES, PLAN_ROWS, readyCountIs, RECORD_ETA, RECORDED_ETAS, TOP_DOMAINS } from './testing/page-scripts.js';
import { pageSession, type PageSession } from './testing/page-session.js';
import { closeBrowserAndRun, webViewBase } from '../cli/testing/web-view-run.js';

const quickstart = fileURLToPath(new URL('../examples/quickstart', import.meta.url));
const DEADLINE_MS = 120_000;

/** Beside the quickstart: a Strategy whose budget stops a pool early, and one whose hardware nothing offers. */
const STRATEGIES = `apiVersion: polyfleet.io/v1alpha1
kind: Strategy
metadata: {name: tight}
spec:
  pick: cheapest
  providers: [{name: sim-a, type: sim}]
  hardware: {minCPU: 2, minMemoryGiB: 4, arch: [amd64]}
  budget: {maxHourlyTotal: "0.05"}
---
apiVersion: polyfleet.io/v1alpha1
kind: Strategy
metadata: {name: too-big}
spec:
  providers: [{name: sim-a, type: sim}]
  hardware: {minCPU: 512}
`;

function pool(name: string, strategy: string, extra: string): string {
  return `apiVersion: polyfleet.io/v1alpha1
kind: NodePool
metadata: {name: ${name}}
spec:
  replicas: 3
  strategyRef: {name: ${strategy}}
${extra}`;
}

/**
 * What the pool page shows beyond progress (issue 15, item 3), in Debian's chromium on the
 * quickstart run as a user runs it, with three more pools: a dry run, one over its budget and one
 * whose Strategy's hardware filter leaves nothing.
 */
describe('the pool page in a browser: plan, budget, placement, funnel, ETA, cost', () => {
  let dir: string;
  let run: BackgroundPolyfleet;
  let browser: Browser;
  let base = '';
  let pages: PageSession;

  beforeAll(async () => {
    browser = await launchChromium();
    pages = pageSession(browser, () => base);
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-pool-page-'));
    const files = {
      'strategies.yaml': STRATEGIES,
      'planned.yaml': pool('planned', 'sim-cheapest', '  placementRuleRef: {name: across-providers}\n  dryRun: true\n'),
      'over-budget.yaml': pool('over-budget', 'tight', ''),
      'nowhere.yaml': pool('nowhere', 'too-big', ''),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const manifests = [...['strategy.yaml', 'placementrule.yaml', 'nodepool.yaml'].map((f) => join(quickstart, f)), ...Object.keys(files).map((f) => join(dir, f))];
    run = startPolyfleet(dir, ['run', ...manifests.flatMap((f) => ['-f', f]), '--port', '0', '--sim-dir', join(dir, 'sim')]);
    base = await webViewBase(run, DEADLINE_MS);
  }, DEADLINE_MS);

  afterAll(() => closeBrowserAndRun(browser, run, dir));

  it('shows a dryRun pool\'s plan: where each slot would go and what it would cost, and that nothing is created', async () => {
    const page = await pages.open('/ui/pools/default/planned');
    await page.locator('#plan tbody tr[data-slot]').nth(2).waitFor({ timeout: DEADLINE_MS });
    expect(await page.locator('#plan-summary').textContent()).toMatch(/^A dry run: nothing is created\. These 3 slots would run 3 Machines for \$0\.\d{4}\/h in all\. Set dryRun: false to create them\.$/);
    const rows = await page.evaluate<string[][]>(PLAN_ROWS);
    expect(rows.map((r) => r[0])).toEqual(['0', '1', '2']);
    // One group of three: each slot on another of the quickstart's accounts, as the PlacementRule asks.
    expect(new Set(rows.map((r) => r[1]?.split('/')[0]))).toEqual(new Set(['sim-a', 'sim-b', 'sim-c']));
    for (const r of rows) {
      expect(r[3]).toMatch(/^\$0\.\d{4}$/);
      expect(r[4]).toMatch(new RegExp(`^Why: slot ${r[0] ?? '?'} \\(group 0, position \\d, x=\\d+\\): ${r[1] ?? '?'} via root > `));
    }
    expect(await page.locator('#machine-count').textContent()).toBe('(0)');
    expect(await page.locator('.cond-ready').textContent()).toContain('A dry run: nothing is created, the plan shows where Machines would go');
    expect(await page.locator('.cond-progressing').textContent()).toContain('A dry run: nothing is created or deleted; the plan shows what would be');
    // The placement tree shows the plan's domains against their share before any Machine exists.
    expect(await page.locator('#placement li[data-domain] .share').first().textContent()).toBe('0 Machines, 0 running, share 1 (1 short)');
    await page.close();
  }, DEADLINE_MS);

  it('says in words that a pool is over its budget, on its page and on the overview', async () => {
    const page = await pages.open('/ui/pools/default/over-budget');
    const alert = page.locator('.alert[data-condition="BudgetExceeded"]');
    await alert.waitFor({ timeout: DEADLINE_MS });
    expect(await alert.textContent()).toMatch(/^Over budget: a Machine was not created because it would cost more than the Strategy's maxHourlyTotal \(.+\)\.$/);
    await page.goto(`${base}/ui/`);
    const card = page.locator('.pool-card[data-pool="over-budget"] .cond-budgetexceeded');
    await card.waitFor({ timeout: DEADLINE_MS });
    expect(await card.textContent()).toMatch(/^Over budget: /);
    await page.close();
  }, DEADLINE_MS);

  it('shows the placement tree provider → region → zone with counts against each domain\'s share, and a Machine\'s placement explanation from the keyboard', async () => {
    const page = await pages.open('/ui/pools/default/workers');
    await pageUntil(page, readyCountIs('7/7'), '7/7', DEADLINE_MS);
    await page.locator('#placement .tree').waitFor();
    const top = await page.evaluate<{ domain: string; text: string }[]>(TOP_DOMAINS);
    expect(top.map((d) => d.domain)).toEqual(['sim-a', 'sim-b', 'sim-c']);
    // 7 Machines over 3 accounts in groups of 3: 3, 2 and 2, each as many as its share.
    const counts = top.map((d) => /^provider\s*sim-[abc] (\d) Machines?, (\d) running, share (\d)$/.exec(d.text.trim())?.slice(1).map(Number));
    expect(counts.map((c) => c?.[0]).sort()).toEqual([2, 2, 3]);
    for (const c of counts) expect(c?.[0]).toBe(c?.[2]);
    // Every account's zones are listed below it, labelled.
    expect(await page.locator('#placement li[data-domain^="sim-a/"] .level').first().textContent()).toBe('region');
    // An account folds from the keyboard, and stays folded.
    await page.locator('#placement li[data-domain="sim-a"] > details > summary').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#placement li[data-domain^="sim-a/"]').first().isHidden()).toBe(true);

    const name = await page.locator('tr[data-name] button[data-open]').first().textContent();
    await page.locator(`button[data-open="${name ?? ''}"]`).focus();
    await page.keyboard.press('Enter');
    await page.locator('#machine-detail h2', { hasText: `Machine ${name ?? ''}` }).waitFor();
    expect(await page.locator('#placement-why').textContent()).toMatch(/^slot \d+ \(group \d+, position \d+, x=\d+\): sim-[abc]\//);
    await page.keyboard.press('Enter');
    expect(await page.locator('#machine-detail').isHidden()).toBe(true);
    expect(await page.evaluate<string | null>('document.activeElement?.dataset.open ?? null')).toBe(name);
    await page.close();
  }, DEADLINE_MS);

  it('shows the Strategy\'s funnel: what each filter kept, and the filter that left nothing', async () => {
    const page = await pages.open('/ui/pools/default/workers');
    await page.locator('#funnel li[data-filter="hardware"]').waitFor({ timeout: DEADLINE_MS });
    expect(await page.locator('#funnel-verdict').textContent()).toMatch(/^\d+ offerings pass every filter; the pool picks among them\.$/);
    expect(await page.locator('#funnel li[data-filter="accounts"] .funnel-kept').textContent()).toBe('3 read');
    await page.goto(`${base}/ui/pools/default/nowhere`);
    await page.locator('#funnel li.emptied').waitFor({ timeout: DEADLINE_MS });
    expect(await page.locator('#funnel li.emptied').getAttribute('data-filter')).toBe('hardware');
    expect(await page.locator('#funnel li.emptied').textContent()).toBe('Hardware0 kept≥ 512 vCPU');
    expect(await page.locator('#funnel-verdict').textContent()).toBe('The hardware filter left no offering: nothing can be created until the Strategy asks for less there.');
    // Said at the top of the page too, before the Degraded condition's detail.
    expect(await page.locator('#no-offering').textContent()).toBe('Strategy too-big has no offering: its hardware filter left nothing (see what each filter kept, below).');
    expect(Number(/^(\d+) kept$/.exec((await page.locator('#funnel li[data-filter="catalogue"] .funnel-kept').textContent()) ?? '')?.[1])).toBeGreaterThan(0);
    await page.close();
  }, DEADLINE_MS);

  it('draws the pool\'s cost over time, ending at the cost it shows now, under the budget line', async () => {
    const page = await pages.open('/ui/pools/default/workers');
    await pageUntil(page, readyCountIs('7/7'), '7/7', DEADLINE_MS);
    const cost = /^(\$\d+\.\d+)\/h/.exec((await page.locator('.pool-summary .cost').textContent()) ?? '')?.[1];
    // From $0 when polyfleet started to the 7 Machines' cost: at least two steps.
    await pageUntil(page, `Number(document.querySelector('#cost-chart .cost-line')?.dataset.points) >= 2`, 'a cost chart with two points', DEADLINE_MS);
    expect(await page.locator('#cost-words').textContent()).toContain(`now ${cost ?? '?'}/h, highest ${cost ?? '?'}/h, budget $2.00/h.`);
    expect(await page.locator('#cost-chart .budget text').textContent()).toBe('budget $2.00/h');
    await page.close();
  }, DEADLINE_MS);

  it('shows an ETA while scaling out, from the create times it saw', async () => {
    const page = await pages.open('/ui/pools/default/workers');
    await pageUntil(page, readyCountIs('7/7'), '7/7', DEADLINE_MS);
    await page.evaluate(RECORD_ETA);
    const bigger = join(dir, 'nine.yaml');
    writeFileSync(bigger, readFileSync(join(quickstart, 'nodepool.yaml'), 'utf8').replace('replicas: 6', 'replicas: 8'));
    expect(runPolyfleet(dir, ['apply', '-f', bigger]).status).toBe(0);
    await pageUntil(page, readyCountIs('9/9'), '9/9', DEADLINE_MS);
    const etas = await page.evaluate<string[]>(RECORDED_ETAS);
    process.stdout.write(`web view: ETAs shown while scaling 7 → 9:\n  ${etas.join('\n  ')}\n`);
    expect(etas.some((t) => /^(About \d+ s left: [12] Machines? still to start|[12] Machines? still to start, any moment now); a create here takes \d+ s to Running \(median of [7-8] seen\)\.$/.test(t))).toBe(true);
    expect(await page.locator('#eta').textContent()).toBe('');
    await page.close();
  }, DEADLINE_MS);

  it('sums up on the overview: each pool\'s cost against its budget, totals per account and region, the fleet\'s cost per hour', async () => {
    const page = await pages.open('/ui/');
    await pageUntil(page, `document.querySelectorAll('.pool-card').length === 4 && document.querySelector('.pool-card[data-pool="workers"] .ready-count')?.textContent === '9/9'`, 'four pools, workers at 9/9', DEADLINE_MS);
    const figures = await page.evaluate<{ fleet: string; pools: Record<string, string>; totals: string[][] }>(OVERVIEW_FIGURES);
    const dollars = (text: string | undefined) => Number(/\$(\d+\.\d+)/.exec(text ?? '')?.[1] ?? Number.NaN);
    expect(figures.pools).toEqual({
      workers: expect.stringMatching(/^\$0\.\d{4}\/h of \$2\.00\/h budget$/),
      planned: '$0.0000/h of $2.00/h budget',
      'over-budget': expect.stringMatching(/^\$0\.0\d{3}\/h of \$0\.0500\/h budget$/),
      nowhere: '$0.0000/h · no budget',
    });
    // Each figure rounds on its own: sums agree to a hundredth of a cent per term.
    const poolSum = Object.values(figures.pools).reduce((sum, text) => sum + dollars(text), 0);
    expect(Math.abs(poolSum - dollars(figures.fleet))).toBeLessThan(0.0005);
    expect(new Set(figures.totals.map((r) => r[0]))).toEqual(new Set(['sim-a', 'sim-b', 'sim-c']));
    for (const r of figures.totals) expect(r[2]).toMatch(/^\d+ of \d+$/);
    expect(figures.totals.reduce((n, r) => n + Number(r[2]?.split(' of ')[0]), 0)).toBe(10);
    expect(Math.abs(figures.totals.reduce((sum, r) => sum + dollars(r[3]), 0) - dollars(figures.fleet))).toBeLessThan(0.0001 * (figures.totals.length + 1));
    await page.close();
  }, DEADLINE_MS);

  it('has no serious or critical axe-core violations and no CSP complaints; screenshots at 1440 and 390 px', async () => {
    for (const viewport of VIEWPORTS) {
      for (const [name, ready] of [
        ['workers', '#cost-chart'],
        ['planned', '#plan tbody tr'],
        ['over-budget', '.alert'],
        ['nowhere', '#funnel li.emptied'],
      ] as const) {
        const page = await pages.open(`/ui/pools/default/${name}`, viewport);
        await page.locator(ready).first().waitFor({ timeout: DEADLINE_MS });
        await page.getByText('live', { exact: true }).waitFor();
        if (name === 'workers') await page.locator('tr[data-name] button[data-open]').first().click();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `pool-${name}-${viewport.width}x${viewport.height}`);
        await page.close();
      }
    }
    expect(pages.cspViolations).toEqual([]);
  }, DEADLINE_MS);
});
