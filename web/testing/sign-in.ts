import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Content-Security-Policy complaints the browser logged on pages of a context made by `signedIn`. */
export type CspLog = string[];

/** A page of a new browser context that records CSP complaints into `csp`. */
export async function newPage(browser: Browser, csp: CspLog, viewport: { width: number; height: number } = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
  });
  return { context, page };
}

/** Types `token` into the sign-in form at `url` as a person would, and waits for the page behind it. */
export async function signInOnPage(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#signed-in-as').waitFor();
}
