import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: playwright-core drives it, and no browser is ever downloaded. */
export const CHROMIUM = process.env.POLYFLEET_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium, headless, or an error that says how to get it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: on Debian or Ubuntu, apt-get install -y chromium (.ci/run does it), or point POLYFLEET_CHROMIUM at a Chromium binary`,
    );
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
