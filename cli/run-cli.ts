import type { CommandIo, Command } from './command.js';
import { usage } from './usage.js';

/**
 * A top-level command as the registry knows it: its name and summary for `polyfleet --help`, and
 * its module, imported only when the command runs, so `polyfleet get` never loads what `run` or
 * `controller` need (the controllers, pino, @kubernetes/client-node). The summary must be the
 * module's own (a test checks).
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'run', summary: 'run every controller on a local state file (the embedded default) or etcd, printing progress', load: async () => (await import('./run/index.js')).runCommand },
  { name: 'apply', summary: 'create or update objects from YAML or JSON manifests in a local state file or etcd', load: async () => (await import('./apply/index.js')).applyCommand },
  { name: 'create', summary: 'one shot: create or scale a pool from a strategy file, wait until its nodes run, print them', load: async () => (await import('./create/index.js')).createCommand },
  { name: 'get', summary: 'list NodePools, Strategies, PlacementRules, Machines or HostGroups from a local state file or etcd, as kubectl get does', load: async () => (await import('./get/index.js')).getCommand },
  { name: 'describe', summary: "show a NodePool with its conditions, events and every Machine's placement explained, or a Strategy with its prices", load: async () => (await import('./describe/index.js')).describeCommand },
  { name: 'prices', summary: 'show the price of every offering, where it came from (api, table, override) and how old it is', load: async () => (await import('./prices/index.js')).pricesCommand },
  { name: 'members', summary: 'list every node of the pools: node, address, status, provider, region, zone', load: async () => (await import('./members/index.js')).membersCommand },
  { name: 'delete', summary: 'delete an object from a local state file or etcd; --wait until its finalizers have run', load: async () => (await import('./delete/index.js')).deleteCommand },
  { name: 'state', summary: 'move an installation between stores: export every object and its identity, import into an empty store', load: async () => (await import('./state/index.js')).stateCommand },
  { name: 'controller', summary: 'run every controller against a Kubernetes API server (cluster mode, Lease leader election)', load: async () => (await import('./controller/index.js')).controllerCommand },
  {
    name: 'inventory',
    summary: 'the fleet as an Ansible inventory: --list/--host (dynamic inventory), variables with blame, export and bundles',
    load: async () => (await import('./inventory/index.js')).inventoryCommand,
  },
  { name: 'sim', summary: 'inspect and disturb the simulated cloud: list, kill, stop and reclaim instances, inject faults', load: async () => (await import('./sim/index.js')).simCommand },
  { name: 'crush', summary: 'map inputs with a CRUSH map exactly as Ceph does, and explain a mapping', load: async () => (await import('./crush/index.js')).crushCommand },
];

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(COMMANDS));
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`polyfleet: unknown command "${name}"\n\n${usage(COMMANDS)}`);
    return 2;
  }
  return (await entry.load()).run(rest, io);
}
