import type { Browser, Page } from 'playwright-core';
import { VIEWPORTS } from './page-checks.js';

/** Pages of one browser on one web view, with the Content-Security-Policy complaints any of them logged. */
export interface PageSession {
  open(path: string, viewport?: { readonly width: number; readonly height: number }): Promise<Page>;
  readonly cspViolations: readonly string[];
}

export function pageSession(browser: Browser, base: () => string): PageSession {
  const cspViolations: string[] = [];
  return {
    async open(path, viewport = VIEWPORTS[0]) {
      const page = await browser.newPage({ viewport });
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await page.goto(`${base()}${path}`);
      return page;
    },
    cspViolations,
  };
}
