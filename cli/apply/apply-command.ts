import type { Store } from '../../runtime/store/index.js';
import { applyResource, describeApplied } from '../shared/apply-objects.js';
import { defineCommand, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { loadManifests, type Manifest } from '../shared/manifests.js';
import { STATE_FLAG_HELP, stateOption, storeLocation, withStore } from '../shared/state.js';
import type { CommandIo } from '../command.js';

const HELP = `Usage: polyfleet apply -f FILE|DIR [-f ...] [--state FILE | --store etcd://HOST:PORT,...]

Creates the objects of YAML or JSON manifests (several documents per file, or a kubectl List) in a
local state file, or updates the spec, labels and annotations of those that exist, keeping their
status. A directory means its .yaml, .yml and .json files. Every document is validated first: one
bad document and nothing is written. A running \`polyfleet run\` on the same state acts on the change.

Flags:
  -f, --filename PATH   a manifest file or directory (repeatable)
${STATE_FLAG_HELP}
  -h, --help            this help

Exit status: 0 applied, 1 a manifest or the store cannot be used (the message names the file,
document and field), 2 usage error.
`;

const OPTIONS = { filename: { type: 'string', short: 'f', multiple: true }, ...stateOption } as const;

export const applyCommand = defineCommand({
  name: 'apply',
  summary: 'create or update objects from YAML or JSON manifests in a local state file or etcd',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; manifests go after -f`);
    const paths = values.filename ?? [];
    if (paths.length === 0) throw new UsageError('which manifests? pass -f FILE or -f DIR');
    const manifests = await loadManifests(paths);
    await withStore(storeLocation(values), false, (store) => applyManifests(store, manifests, io));
    return 0;
  },
});

/** Applies in the order given, printing one line per object as kubectl does. */
export async function applyManifests(store: Store, manifests: readonly Manifest[], io: CommandIo): Promise<void> {
  for (const { object } of manifests) {
    const outcome = await applyResource(store, object);
    io.stdout(`${describeApplied(object)} ${outcome}\n`);
  }
}
