import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { BackgroundPolyfleet } from './cli-process.js';
import { eventually } from '../../runtime/testing/async.js';

const PRINTED = /web view: (\S+)\/ui\/\n/;

/** The address `polyfleet run` prints for its web view (without /ui/), once printed; a run that exits says why instead. */
export async function webViewBase(run: BackgroundPolyfleet, deadlineMs: number): Promise<string> {
  await eventually(() => PRINTED.test(run.stdout()) || run.child.exitCode !== null, 'polyfleet run to print the web view\'s URL', deadlineMs);
  return PRINTED.exec(run.stdout())?.[1] ?? `run exited: ${run.stderr()}`;
}

/** A browser suite's teardown: the browser, the run, its directory. */
export async function closeBrowserAndRun(browser: Browser, run: BackgroundPolyfleet, dir: string): Promise<void> {
  await browser.close();
  run.child.kill('SIGKILL');
  await run.exited;
  rmSync(dir, { recursive: true, force: true });
}
