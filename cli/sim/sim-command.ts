import { commandGroup } from '../shared/command-group.js';
import { faultsSubcommand } from './faults.js';
import { instancesSubcommand } from './instances.js';
import { killSubcommand } from './kill.js';
import { reclaimSubcommand } from './reclaim.js';
import { stopSubcommand } from './stop.js';

export const simCommand = commandGroup({
  name: 'sim',
  summary: 'inspect and disturb the simulated cloud: list, kill, stop and reclaim instances, inject faults',
  intro: `polyfleet sim — inspect and disturb the simulated cloud (provider type "sim")

Its instances live in a directory, outside any controller, so these commands work while a
controller runs against the same sim dir.`,
  subcommands: [instancesSubcommand, killSubcommand, stopSubcommand, reclaimSubcommand, faultsSubcommand],
  // A bad sim file, an unreadable dir: the message names the file; a stack would not help.
});
