import { commandGroup } from '../shared/command-group.js';
import { exportSubcommand } from './export-subcommand.js';
import { importSubcommand } from './import-subcommand.js';

export const stateCommand = commandGroup({
  name: 'state',
  summary: 'move an installation between stores: export every object and its identity, import into an empty store',
  intro: `polyfleet state — move an installation from one store to another (a state file, etcd), e.g.

  polyfleet state export --state .polyfleet/state.jsonl > dump.yaml
  polyfleet state import --store etcd://10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379 < dump.yaml

Stop every \`polyfleet run\` on the old store first, and start them on the new one after the import.`,
  subcommands: [exportSubcommand, importSubcommand],
});
