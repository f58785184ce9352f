import { DEFAULT_NAMESPACE } from '../../runtime/store/index.js';
import { DEFAULT_STATE_PATH } from '../../runtime/store/file/index.js';
import { ansibleHost, ansibleList, EXPORT_FORMATS, exportInventory, filterInventory, hostVarValues, parseKeyValue, resolveHostVars, writeBundle, type ExportFormat, type HostFilter, type Inventory } from '../../inventory/index.js';
import type { CommandIo } from '../command.js';
import { CommandFailure, defineCommand, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { loadInventory, type InventorySource } from './inventory-source.js';
import { varsTable } from './vars-table.js';
import { writeFile } from 'node:fs/promises';

const SUMMARY = 'the fleet as an Ansible inventory: --list/--host (dynamic inventory), variables with blame, export and bundles';

const HELP = `Usage:
  polyfleet inventory --list [FILTER]             every group and host, as Ansible's dynamic-inventory protocol
  polyfleet inventory --host NAME                 one host's own variables (its facts)
  polyfleet inventory vars HOST [--blame] [-o json]
                                                  the host's variables as Ansible resolves them; --blame adds
                                                  what each value overrode
  polyfleet inventory export [--format yaml|ini|json] [-o FILE|DIR|FILE.tgz|FILE.zip] [FILTER]
                                                  one inventory file (default yaml, to stdout), or with -o DIR,
                                                  .tgz or .zip a bundle: inventory.yml, group_vars/<group>.yml
                                                  and host_vars/<host>.yml

FILTER keeps only some hosts (every group stays, an emptied one empty): --region REGION,
--group GROUP (in it directly or through a subgroup), --label KEY=VALUE and --var KEY=VALUE (a
variable as resolved; each repeatable, all must hold).

The inventory of one namespace (the tenant): each Machine with an instance and an address is a host,
named as the Machine, in all, tenant_<namespace>, pool_<pool>, provider_<account>, region_<region>,
zone_<zone> and type_<instance type> (names made valid for Ansible: other characters become "_"), and
in the groups of the namespace's HostGroups. Its facts are ansible_host (the public address, else the
private one) and polyfleet_provider, _account, _region, _zone, _instance_type, _instance_id, _pool,
_price_hourly and _labels.

Variables win as in Ansible: all < parent groups < child groups (a deeper group wins; at one depth the
higher priority, then the later name) < the host's facts. With --kubeconfig, HostGroup varsFrom is read
with your rights: ConfigMap keys, and Secret keys of Secrets of type polyfleet.io/credentials (the
opt-in credentials Secrets need too); what cannot be used is named on stderr, never its value. A state
file has no ConfigMaps or Secrets: there a HostGroup using varsFrom gets a warning and only its vars.
HostGroup secrets are served only by the inventory REST API of polyfleet run and controller (bundles
with ?secrets=true), to callers allowed to get them.

Ansible can run it directly: ansible-inventory -i bin/polyfleet-ansible-inventory --graph

Flags:
  --state FILE          the state file (default $POLYFLEET_STATE, else ${DEFAULT_STATE_PATH})
  --kubeconfig FILE     read the cluster instead of a state file (FILE "" : $KUBECONFIG, ~/.kube/config
                        or the in-cluster service account)
  -n, --namespace NS    the namespace (default $POLYFLEET_NAMESPACE, else "${DEFAULT_NAMESPACE}")
  -h, --help            this help

Exit status: 0 done, 1 the state or cluster cannot be read or HOST is not in the inventory, 2 usage error.
`;

const OPTIONS = {
  list: { type: 'boolean', default: false },
  host: { type: 'string' },
  blame: { type: 'boolean', default: false },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  state: { type: 'string' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  region: { type: 'string' },
  group: { type: 'string' },
  label: { type: 'string', multiple: true },
  var: { type: 'string', multiple: true },
} as const;

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

export const inventoryCommand = defineCommand({
  name: 'inventory',
  summary: SUMMARY,
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    const [sub, ...args] = positionals;
    const source = sourceOf(values);
    const namespace = values.namespace ?? process.env.POLYFLEET_NAMESPACE ?? DEFAULT_NAMESPACE;
    const filter = filterOf(values);
    if (sub === undefined) {
      refuse(values, ['blame', 'format', 'output']);
      if (values.list === (values.host !== undefined)) throw new UsageError('give --list or --host NAME (or a subcommand: vars, export)');
      const inventory = filterInventory(await loaded(source, namespace, io), filter);
      if (values.list) {
        io.stdout(`${JSON.stringify(ansibleList(inventory), null, 2)}\n`);
        return 0;
      }
      const facts = ansibleHost(inventory, values.host as string);
      if (facts === undefined) throw new CommandFailure(notAHost(values.host as string, namespace));
      io.stdout(`${JSON.stringify(facts, null, 2)}\n`);
      return 0;
    }
    if (values.list || values.host !== undefined) throw new UsageError(`--list and --host are not for "${sub}"`);
    if (sub === 'vars') return vars(args, values, source, namespace, io);
    if (sub === 'export') return exportCommand(args, values, source, namespace, filter, io);
    throw new UsageError(`unknown subcommand "${sub}" (vars or export)`);
  },
});

async function vars(args: readonly string[], values: Values, source: InventorySource, namespace: string, io: CommandIo): Promise<number> {
  refuse(values, ['format', 'region', 'group', 'label', 'var']);
  const [host, ...extra] = args;
  if (host === undefined) throw new UsageError('which host? e.g. polyfleet inventory vars web-1 --blame');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (values.output !== undefined && values.output !== 'json') throw new UsageError(`-o must be json or absent (a table), got ${JSON.stringify(values.output)}`);
  const inventory = await loaded(source, namespace, io);
  const blame = resolveHostVars(inventory, host);
  if (blame === undefined) throw new CommandFailure(notAHost(host, namespace));
  if (values.output === 'json') io.stdout(`${JSON.stringify(values.blame ? blame : hostVarValues(blame), null, 2)}\n`);
  else io.stdout(varsTable(blame, values.blame));
  return 0;
}

async function exportCommand(args: readonly string[], values: Values, source: InventorySource, namespace: string, filter: HostFilter, io: CommandIo): Promise<number> {
  refuse(values, ['blame']);
  if (args.length > 0) throw new UsageError(`unexpected arguments: ${args.join(' ')}`);
  const format = values.format ?? 'yaml';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const inventory = filterInventory(await loaded(source, namespace, io), filter);
  const target = values.output;
  if (target === undefined || target === '-') {
    io.stdout(exportInventory(inventory, format as ExportFormat));
    return 0;
  }
  const isFile = /\.(ya?ml|ini|json)$/i.test(target);
  if (isFile) {
    await writeFile(target, exportInventory(inventory, format as ExportFormat));
    io.stderr(`wrote the ${format} inventory of ${inventory.hosts.size} hosts to ${target}\n`);
    return 0;
  }
  if (values.format !== undefined && values.format !== 'yaml') throw new UsageError(`a bundle's inventory is YAML (inventory.yml); --format ${values.format} is for a single file`);
  const kind = await writeBundle(inventory, target, new Date());
  io.stderr(`wrote a ${kind === 'dir' ? 'bundle directory' : `${kind} bundle`} of ${inventory.hosts.size} hosts and ${inventory.groups.size} groups to ${target}\n`);
  return 0;
}

function sourceOf(values: Values): InventorySource {
  if (values.state !== undefined && values.kubeconfig !== undefined) throw new UsageError('give --state or --kubeconfig, not both');
  if (values.kubeconfig !== undefined) return { kind: 'cluster', kubeconfig: values.kubeconfig === '' ? undefined : values.kubeconfig };
  return { kind: 'state', path: values.state ?? process.env.POLYFLEET_STATE ?? DEFAULT_STATE_PATH };
}

async function loaded(source: InventorySource, namespace: string, io: CommandIo): Promise<Inventory> {
  const inventory = await loadInventory(source, namespace);
  for (const p of inventory.problems) io.stderr(`polyfleet inventory: warning: ${p}\n`);
  return inventory;
}

function refuse(values: Values, flags: readonly ('blame' | 'format' | 'output' | 'region' | 'group' | 'label' | 'var')[]): void {
  for (const f of flags) {
    const v = values[f];
    if (v !== undefined && v !== false) throw new UsageError(`--${f} is not for this form of the command`);
  }
}

function filterOf(values: Values): HostFilter {
  try {
    return {
      ...(values.region === undefined ? {} : { region: values.region }),
      ...(values.group === undefined ? {} : { group: values.group }),
      labels: (values.label ?? []).map((l) => parseKeyValue('label', l)),
      vars: (values.var ?? []).map((v) => parseKeyValue('var', v)),
    };
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

function notAHost(host: string, namespace: string): string {
  return `host "${host}" is not in the inventory of namespace "${namespace}" (a Machine is a host once it has an instance and an address)`;
}
