// The modules themselves, not inventory/index.js: `--list` loads no YAML, bundles or REST API.
import { ansibleHost, ansibleList } from '../../inventory/ansible-list.js';
import { filterInventory, parseKeyValue, type HostFilter } from '../../inventory/host-filter.js';
import { DEFAULT_NAMESPACE } from '../../runtime/store/types.js';
import { DEFAULT_STATE_PATH } from '../../runtime/store/file/state-path.js';
import { CommandFailure, defineCommand, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { SOURCES_DIR_HELP, sourcesDir } from '../shared/sources-dir-flag.js';
import { STATE_FLAG_HELP, storeLocation } from '../shared/store-flags.js';
import type { InventorySource } from './inventory-source.js';
import { loaded, notAHost, OPTIONS, refuse, type Values } from './inventory-options.js';

const SUMMARY = 'the fleet as an Ansible inventory: --list/--host (dynamic inventory), variables with blame, export and bundles';

const HELP = `Usage:
  polyfleet inventory --list [FILTER]             every group and host, as Ansible's dynamic-inventory protocol
  polyfleet inventory --host NAME                 one host's own variables (its facts)
  polyfleet inventory vars HOST [--blame] [-o json]
                                                  the host's variables as Ansible resolves them; --blame adds
                                                  what each value overrode
  polyfleet inventory export [--format yaml|ini|json] [-o FILE|DIR|FILE.tgz|FILE.zip] [--secrets] [FILTER]
                                                  one inventory file (default yaml, to stdout), or with -o DIR,
                                                  .tgz or .zip a bundle: inventory.yml, group_vars/<group>.yml
                                                  and host_vars/<host>.yml; --secrets adds the HostGroups'
                                                  secrets under secrets/ (all of them, or the command fails
                                                  naming those you may not get, and writes nothing)

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
higher priority, then the later name) < the host's facts. HostGroup varsFrom and secrets read
ConfigMap and Secret keys with your rights. With --kubeconfig: from the API server, Secrets only of type
polyfleet.io/credentials (the opt-in credentials Secrets need too), and --secrets first asks the API
server whether you may get each one (as kubectl auth can-i). A state file or etcd store holds no
ConfigMaps or Secrets: they are files laid out as Kubernetes mounts them, one per key, in
--sources-dir (beside a state file by default): DIR/configmaps/<namespace>/<name>/<key> and
DIR/secrets/<namespace>/<name>/<key>. On etcd without --sources-dir, a HostGroup using varsFrom gets a
warning and only its vars. What cannot be used is named on stderr, never its value.

Ansible can run it directly: ansible-inventory -i bin/polyfleet-ansible-inventory --graph

Flags:
${STATE_FLAG_HELP}
                        (with neither --state nor --store: $POLYFLEET_STATE, a file or etcd://…)
${SOURCES_DIR_HELP}
  --kubeconfig FILE     read the cluster instead of a state file (FILE "" : $KUBECONFIG, ~/.kube/config
                        or the in-cluster service account)
  -n, --namespace NS    the namespace (default $POLYFLEET_NAMESPACE, else "${DEFAULT_NAMESPACE}")
  -h, --help            this help

Exit status: 0 done, 1 the state or cluster cannot be read or HOST is not in the inventory, 2 usage error.
`;

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
      refuse(values, ['blame', 'secrets', 'format', 'output']);
      if (values.list === (values.host !== undefined)) throw new UsageError('give --list or --host NAME (or a subcommand: vars, export)');
      const inventory = filterInventory((await loaded(source, namespace, io)).inventory, filter);
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
    // Loaded only for their own form: `--list`, which Ansible runs anew each time, loads no YAML.
    if (sub === 'vars') return (await import('./inventory-vars.js')).varsCommand(args, values, source, namespace, io);
    if (sub === 'export') return (await import('./inventory-export.js')).exportCommand(args, values, source, namespace, filter, io);
    throw new UsageError(`unknown subcommand "${sub}" (vars or export)`);
  },
});

function sourceOf(values: Values): InventorySource {
  if (values.kubeconfig !== undefined) {
    if (values.state !== undefined || values.store !== undefined) throw new UsageError('give --state, --store or --kubeconfig, not two of them');
    if (values['sources-dir'] !== undefined) throw new UsageError('--sources-dir is for a state file or etcd store: with --kubeconfig, ConfigMaps and Secrets come from the API server');
    return { kind: 'cluster', kubeconfig: values.kubeconfig === '' ? undefined : values.kubeconfig };
  }
  const location = storeLocation({ ...values, ...(values.state === undefined && values.store === undefined ? { state: process.env.POLYFLEET_STATE ?? DEFAULT_STATE_PATH } : {}) });
  const dir = sourcesDir(values['sources-dir'], location);
  const withDir = dir === undefined ? {} : { sourcesDir: dir };
  return location.kind === 'file' ? { kind: 'state', path: location.path, ...withDir } : { kind: 'etcd', location, ...withDir };
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
