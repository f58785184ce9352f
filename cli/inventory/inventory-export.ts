import { writeFile } from 'node:fs/promises';
import { bundleSecretFiles, EXPORT_FORMATS, exportInventory, filterInventory, writeBundle, type BundleFile, type ExportFormat, type HostFilter, type Inventory } from '../../inventory/index.js';
import { HttpProblem } from '../../runtime/http/index.js';
import type { CommandIo } from '../command.js';
import { CommandFailure, UsageError } from '../shared/command-runner.js';
import type { InventorySource, LoadedInventory } from './inventory-source.js';
import { loaded, refuse, type Values } from './inventory-options.js';

/** `polyfleet inventory export [--format yaml|ini|json] [-o FILE|DIR|FILE.tgz|FILE.zip] [FILTER]`. */
export async function exportCommand(args: readonly string[], values: Values, source: InventorySource, namespace: string, filter: HostFilter, io: CommandIo): Promise<number> {
  refuse(values, ['blame']);
  if (args.length > 0) throw new UsageError(`unexpected arguments: ${args.join(' ')}`);
  const format = values.format ?? 'yaml';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const read = await loaded(source, namespace, io);
  const inventory = filterInventory(read.inventory, filter);
  const target = values.output;
  const isFile = target === undefined || target === '-' || /\.(ya?ml|ini|json)$/i.test(target);
  if (values.secrets && isFile) throw new UsageError('--secrets adds secrets/ files to a bundle: give -o DIR, FILE.tgz or FILE.zip');
  if (target === undefined || target === '-') {
    io.stdout(exportInventory(inventory, format as ExportFormat));
    return 0;
  }
  if (isFile) {
    await writeFile(target, exportInventory(inventory, format as ExportFormat));
    io.stderr(`wrote the ${format} inventory of ${inventory.hosts.size} hosts to ${target}\n`);
    return 0;
  }
  if (values.format !== undefined && values.format !== 'yaml') throw new UsageError(`a bundle's inventory is YAML (inventory.yml); --format ${values.format} is for a single file`);
  // Every Secret is read before the bundle is begun: all of them go in, or no bundle is written.
  const secrets = values.secrets ? await secretFiles(read, inventory) : [];
  const kind = await writeBundle(inventory, target, new Date(), secrets);
  const withSecrets = secrets.length === 0 ? '' : ` and ${secrets.length} secrets/ files`;
  io.stderr(`wrote a ${kind === 'dir' ? 'bundle directory' : `${kind} bundle`} of ${inventory.hosts.size} hosts and ${inventory.groups.size} groups${withSecrets} to ${target}\n`);
  return 0;
}

/** The secrets/ files of the bundle, if you may get every Secret they come from; else a failure naming those you may not. */
async function secretFiles(read: LoadedInventory, inventory: Inventory): Promise<BundleFile[]> {
  const you = { user: 'you', groups: [] };
  const access = { scheme: 'your own rights', authenticate: () => Promise.resolve({ kind: 'ok' as const, caller: you }), allowed: (_: unknown, attributes: Parameters<LoadedInventory['mayYou']>[0]) => read.mayYou(attributes) };
  try {
    return await bundleSecretFiles(read, access, you, inventory, read.hostGroups);
  } catch (e) {
    // The API's problem details name the HostGroup, Secret and key, never a value.
    if (e instanceof HttpProblem) throw new CommandFailure(`${e.detail.replace(/ask without secrets=true/g, 'export without --secrets')} (nothing was written)`);
    throw e;
  }
}
