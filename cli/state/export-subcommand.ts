import { existsSync } from 'node:fs';
import { KINDS, type Kind, type Resource } from '../../api/index.js';
import type { StoredEvent } from '../../runtime/events/types.js';
import { makeDump, renderDump } from '../../runtime/store/dump/index.js';
import { acquireOwnership } from '../../runtime/store/file/index.js';
import type { Subcommand } from '../shared/command-group.js';
import { CommandFailure, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { describeLocation, STATE_FLAG_HELP, stateOption, storeLocation, withStore, type StandaloneStore, type StoreLocation } from '../shared/state.js';

const USAGE = `polyfleet state export [--state FILE | --store etcd://HOST:PORT,...] > dump.yaml
  Writes every object of the store — status, finalizers, UIDs, owner references, timestamps —, the
  events about them (what \`polyfleet describe\` shows) and the installation id (the polyfleet.io/managed-by tag of its cloud instances) as YAML on stdout,
  for \`polyfleet state import\` into any other store. Refuses while a \`polyfleet run\` owns or
  leads on the store: stop it first, so nothing changes after the export and no two controllers
  ever act on the same instances.
${STATE_FLAG_HELP.replaceAll(/^/gm, '  ')}
`;

export const exportSubcommand: Subcommand = {
  name: 'export',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, { ...stateOption, help: { type: 'boolean', short: 'h' } });
    if (values.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const location = storeLocation(values);
    if (location.kind === 'file' && !existsSync(location.path)) throw new CommandFailure(`state ${location.path} does not exist (pass --state FILE or --store etcd://…)`);
    const where = describeLocation(location);
    const dump = await whileNoControllerRuns(location, () =>
      withStore(location, true, async (store) => {
        if (location.kind === 'etcd') await refuseWhileLed(store, where);
        const objects = await everyObject(store, where);
        return makeDump(store.installationId, objects, await eventsOf(store, objects), where, new Date());
      }),
    );
    io.stdout(await renderDump(dump));
    io.stderr(`exported ${String(dump.objects.length)} objects and ${String(dump.events?.length ?? 0)} events of installation ${dump.installationId} from ${where}\n`);
    return 0;
  },
};

/** For a state file: owns it meanwhile (OwnedByError if a `polyfleet run` does), so none starts mid-export. */
async function whileNoControllerRuns<T>(location: StoreLocation, use: () => Promise<T>): Promise<T> {
  if (location.kind === 'etcd') return use();
  const ownership = acquireOwnership(location.path);
  try {
    return await use();
  } finally {
    ownership.release();
  }
}

async function refuseWhileLed(store: StandaloneStore, where: string): Promise<void> {
  // Loaded only for an etcd store: the etcd client is not a cost of every standalone command.
  const { EtcdStore } = await import('../../runtime/store/etcd/etcd-store.js');
  const leader = store instanceof EtcdStore ? await store.leader() : undefined;
  if (leader !== undefined) throw new CommandFailure(`${where}: a polyfleet run leads on it (${leader}); stop every polyfleet run on this store first`);
}

/** The events about each of `objects`, as the store keeps them (counts and timestamps). */
async function eventsOf(store: StandaloneStore, objects: readonly Resource[]): Promise<StoredEvent[]> {
  const sink = store.eventSink();
  const events: StoredEvent[] = [];
  for (const o of objects) events.push(...(await sink.list({ kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name })));
  return events;
}

/** Every object of every kind; refuses if the store holds one this version cannot read (it would be lost). */
async function everyObject(store: StandaloneStore, where: string): Promise<Resource[]> {
  const objects: Resource[] = [];
  for (const kind of KINDS) {
    objects.push(...(await store.list<Kind>(kind)));
    const unreadable = store.unreadable(kind);
    if (unreadable[0] !== undefined) {
      const u = unreadable[0];
      throw new CommandFailure(`${where}: ${kind} ${u.namespace}/${u.name} cannot be read by this version (${u.problem}), so it would be left out; export with the version that wrote it`);
    }
  }
  return objects;
}
