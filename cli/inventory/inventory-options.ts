import type { CommandIo } from '../command.js';
import { sourcesDirOption } from '../shared/sources-dir-flag.js';
import { stateOption } from '../shared/store-flags.js';
import type { parseCommandLine } from '../shared/command-runner.js';
import { UsageError } from '../shared/usage-error.js';
import { loadInventory, type InventorySource, type LoadedInventory } from './inventory-source.js';

export const OPTIONS = {
  list: { type: 'boolean', default: false },
  host: { type: 'string' },
  blame: { type: 'boolean', default: false },
  secrets: { type: 'boolean', default: false },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...stateOption,
  ...sourcesDirOption,
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  region: { type: 'string' },
  group: { type: 'string' },
  label: { type: 'string', multiple: true },
  var: { type: 'string', multiple: true },
} as const;

export type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** The inventory, its problems said on stderr as warnings (stdout is what Ansible reads). */
export async function loaded(source: InventorySource, namespace: string, io: CommandIo): Promise<LoadedInventory> {
  const read = await loadInventory(source, namespace);
  for (const p of read.inventory.problems) io.stderr(`polyfleet inventory: warning: ${p}\n`);
  return read;
}

/** A UsageError for the first of `flags` given, which this form of the command does not take. */
export function refuse(values: Values, flags: readonly ('blame' | 'secrets' | 'format' | 'output' | 'region' | 'group' | 'label' | 'var')[]): void {
  for (const f of flags) {
    const v = values[f];
    if (v !== undefined && v !== false) throw new UsageError(`--${f} is not for this form of the command`);
  }
}

export function notAHost(host: string, namespace: string): string {
  return `host "${host}" is not in the inventory of namespace "${namespace}" (a Machine is a host once it has an instance and an address)`;
}
