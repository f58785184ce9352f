import { describe, expect, it } from '@jest/globals';
import { formatFigure, runChaos } from '../../test/chaos/scenario.js';

const KILLS = 50;
const SEED = 20261206;
/** The run takes 3-5 minutes on two cores; the bound leaves room for a slow machine and the 5 min convergence bound. */
const TIMEOUT_MS = 15 * 60_000;

/**
 * The chaos figure (test/chaos, `npm run chaos -- --kills N`) at 50 kills: two installations on one
 * sim dir and the same accounts, each `polyfleet run` SIGKILLed at seeded instants through scale-up,
 * scale-down, a Strategy deleted and re-created, a region removed, instances stopped and dying at
 * boot, 30 % provider faults and one pool's deletion; then both restarted. Nothing leaked (nor had
 * to be collected as a leak) or was created twice, neither installation touched the other's
 * instances, nothing was left stopped, no `polyfleet run` ended on its own, and both settled.
 */
describe('polyfleet run, two installations on one cloud, killed 50 times', () => {
  it('leaks nothing, duplicates nothing, touches nothing foreign and converges', async () => {
    const lines: string[] = [];
    const result = await runChaos({ kills: KILLS, seed: SEED, log: (line) => lines.push(line) });
    process.stdout.write(`chaos figure: ${formatFigure(result)} (${(result.wallMs / 1000).toFixed(0)} s, ${result.instancesCreated.toString()} instances created, ${result.leaksCollected.toString()} leaks collected)\n`);
    const figure = { ...result, log: result.converged && result.selfExits.length === 0 ? [] : lines };
    expect(figure).toMatchObject({
      kills: KILLS,
      leaked: 0,
      duplicates: 0,
      foreignTouched: 0,
      stoppedLeft: 0,
      converged: true,
      pending: [],
      // Every delete named its caller: without that foreignTouched would be blind.
      unattributedDeletes: 0,
      // Nothing leaked and was mended by the leak collector (30 s grace) either: the controllers lost no instance.
      leaksCollected: 0,
      selfExits: [],
      log: [],
    });
  }, TIMEOUT_MS);
});
