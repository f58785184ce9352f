// A controller process in miniature for ownership tests: campaigns for the state file given as
// argv[2] and prints "leading <pid>" when it owns it, "following <pid>" on every check while not.
import { pino } from 'pino';
import { OwnershipElector } from '../ownership-elector.js';

const statePath = process.argv[2] ?? '';
let leading = false;
const elector = new OwnershipElector({ statePath, logger: pino({ level: 'silent' }), retryMs: 25, checkMs: 25 });
elector.run({
  onStartedLeading: () => {
    leading = true;
    process.stdout.write(`leading ${process.pid}\n`);
  },
  onStoppedLeading: () => {
    leading = false;
    process.stdout.write(`stopped ${process.pid}\n`);
  },
});
setInterval(() => {
  if (!leading) process.stdout.write(`following ${process.pid}\n`);
}, 25);
process.on('SIGTERM', () => {
  void elector.stop().then(() => process.exit(0));
});
