// npm run chaos -- --kills N [--seed S] [--keep] [--quiet]: the chaos figure (see README.md beside this file).
import { parseArgs } from 'node:util';
import { figureIsClean, formatFigure, runChaos } from './scenario.js';

const USAGE = 'usage: npm run chaos -- --kills N [--seed S] [--keep] [--quiet]';

function wholeNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number ≥ 0, got ${JSON.stringify(text)}\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: { kills: { type: 'string' }, seed: { type: 'string' }, keep: { type: 'boolean' }, quiet: { type: 'boolean' } },
  strict: true,
});
const kills = wholeNumber('kills', values.kills, 50);
const seed = wholeNumber('seed', values.seed, 1);
const log = values.quiet === true ? undefined : (line: string): void => void process.stderr.write(`chaos ${line}\n`);

const result = await runChaos({ kills, seed, keep: values.keep === true, ...(log === undefined ? {} : { log }) });
const clean = figureIsClean(result);
process.stderr.write(
  `chaos: seed ${seed.toString()}, ${(result.wallMs / 1000).toFixed(0)} s, ${result.instancesCreated.toString()} instances created, ` +
    `${result.leaksCollected.toString()} leaks collected by the leak collector, ${result.unattributedDeletes.toString()} deletes without a caller, ` +
    `${result.selfExits.length.toString()} unexpected process ends\n`,
);
for (const line of result.pending) process.stderr.write(`chaos: not converged: ${line}\n`);
for (const exit of result.selfExits) process.stderr.write(`chaos: ${exit}\n`);
if (result.dir !== undefined) process.stderr.write(`chaos: state files and sim dir kept in ${result.dir}\n`);
process.stdout.write(`${formatFigure(result)}\n`);
process.exit(clean ? 0 : 1);
