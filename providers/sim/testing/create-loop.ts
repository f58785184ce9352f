/**
 * A process that creates sim instances until it is killed, for the crash-safety test:
 * `node --import tsx create-loop.ts DIR ACCOUNT COUNT SEED`. It says "ready" once it is about to
 * create, then creates machines m0..m{COUNT-1} (attempt 1) in a seeded order, several at a time.
 */
import { seededRandom } from '../random.js';
import { SimProvider } from '../sim-provider.js';
import { crashTestRequest } from './crash-request.js';

const [dir, account, countText, seedText] = process.argv.slice(2);
if (dir === undefined || account === undefined || countText === undefined || seedText === undefined) {
  process.stderr.write('usage: create-loop.ts DIR ACCOUNT COUNT SEED\n');
  process.exit(2);
}
const count = Number(countText);
const random = seededRandom(Number(seedText));
const order = Array.from({ length: count }, (_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
}
const sim = new SimProvider({ account, dir, createLatencyMs: 0 });
const inFlight = 4;

process.stdout.write('ready\n');
await Promise.all(
  Array.from({ length: inFlight }, async (_, lane) => {
    for (let k = lane; k < order.length; k += inFlight) await sim.create(crashTestRequest(order[k] ?? 0));
  }),
);
process.stdout.write('done\n');
