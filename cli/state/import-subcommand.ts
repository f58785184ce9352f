import { readFile } from 'node:fs/promises';
import type { Resource } from '../../api/index.js';
import { parseDump, type CheckedDump } from '../../runtime/store/dump/index.js';
import { restoreStateFile } from '../../runtime/store/file/restore-file.js';
import type { Subcommand } from '../shared/command-group.js';
import { CommandFailure, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { describeLocation, STATE_FLAG_HELP, stateOption, storeLocation, type StoreLocation } from '../shared/state.js';

const USAGE = `polyfleet state import [--state FILE | --store etcd://HOST:PORT,...] [-f dump.yaml] < dump.yaml
  Writes the objects of a \`polyfleet state export\` into an empty store, as they were (UIDs,
  status, finalizers; resourceVersions are the new store's), their events and the installation
  id, so the cloud instances stay this installation's: a \`polyfleet run\` on the new store adopts
  them and creates or deletes nothing. Refuses a store that holds objects (an import never merges) or that a
  \`polyfleet run\` owns or leads on. On etcd, a crash mid-import leaves a store no process opens
  until the same import is run again, which finishes it.
  -f, --filename FILE   the dump (default - : stdin)
${STATE_FLAG_HELP.replaceAll(/^/gm, '  ')}
`;

export const importSubcommand: Subcommand = {
  name: 'import',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, { ...stateOption, filename: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } });
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; the dump goes on stdin or after -f`);
    const location = storeLocation(values);
    const file = values.filename ?? '-';
    const dump = await parseDump(await readDump(file), file === '-' ? 'stdin' : file);
    await restore(location, dump);
    io.stdout(`imported ${summarize(dump.objects)} and ${String(dump.events.length)} events into ${describeLocation(location)}, installation ${dump.installationId}\n`);
    return 0;
  },
};

async function readDump(file: string): Promise<string> {
  if (file !== '-') {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new CommandFailure(`-f ${file}: ${(e as Error).message}`);
    }
  }
  if (process.stdin.isTTY) throw new UsageError('the dump goes on stdin (polyfleet state import < dump.yaml) or after -f');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function restore(location: StoreLocation, dump: CheckedDump): Promise<void> {
  const { installationId, objects, events } = dump;
  if (location.kind === 'file') {
    await restoreStateFile({ path: location.path, installationId, objects, events });
    return;
  }
  // Loaded only for an etcd store: the etcd client is not a cost of every standalone command.
  const { restoreEtcdStore } = await import('../../runtime/store/etcd/restore-etcd.js');
  await restoreEtcdStore({ ...location.options, installationId, objects, events });
}

/** "12 objects (1 NodePool, 1 Strategy, 10 Machines)". */
function summarize(objects: readonly Resource[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) => `${String(n)} ${kind}${n === 1 ? '' : 's'}`);
  return `${String(objects.length)} objects${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
