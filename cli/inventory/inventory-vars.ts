import { hostVarValues, resolveHostVars } from '../../inventory/index.js';
import type { CommandIo } from '../command.js';
import { CommandFailure, UsageError } from '../shared/command-runner.js';
import type { InventorySource } from './inventory-source.js';
import { loaded, notAHost, refuse, type Values } from './inventory-options.js';
import { varsTable } from './vars-table.js';

/** `polyfleet inventory vars HOST [--blame] [-o json]`. */
export async function varsCommand(args: readonly string[], values: Values, source: InventorySource, namespace: string, io: CommandIo): Promise<number> {
  refuse(values, ['secrets', 'format', 'region', 'group', 'label', 'var']);
  const [host, ...extra] = args;
  if (host === undefined) throw new UsageError('which host? e.g. polyfleet inventory vars web-1 --blame');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (values.output !== undefined && values.output !== 'json') throw new UsageError(`-o must be json or absent (a table), got ${JSON.stringify(values.output)}`);
  const { inventory } = await loaded(source, namespace, io);
  const blame = resolveHostVars(inventory, host);
  if (blame === undefined) throw new CommandFailure(notAHost(host, namespace));
  if (values.output === 'json') io.stdout(`${JSON.stringify(values.blame ? blame : hostVarValues(blame), null, 2)}\n`);
  else io.stdout(varsTable(blame, values.blame));
  return 0;
}
