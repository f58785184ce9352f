import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { AXE_SERIOUS } from './page-scripts.js';

/** Where the browser tests write screenshots: test-output/web (or $POLYFLEET_TEST_OUTPUT/web). */
export const SCREENSHOTS = join(process.env.POLYFLEET_TEST_OUTPUT ?? fileURLToPath(new URL('../../test-output', import.meta.url)), 'web');

/** The two widths the page must read well at: a laptop and a phone. */
export const VIEWPORTS = [
  { name: 'wide', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the DevTools protocol, which the page's CSP (no inline scripts) does not stop.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate<AxeViolation[]>(AXE_SERIOUS);
}

/**
 * Polls `expression` (page-scripts.ts) in the page until it is true; fails after `deadlineMs`,
 * which only bounds a broken test. (Playwright's waitForFunction evaluates a string with eval,
 * which the page's CSP rightly forbids; page.evaluate goes through the DevTools protocol.)
 */
export async function pageUntil(page: Page, expression: string, what: string, deadlineMs: number): Promise<void> {
  const started = Date.now();
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for the page to show ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
