import { describeSource, type VarBlame } from '../../inventory/index.js';
import { textTable } from '../shared/text-table.js';

/** VARIABLE, VALUE (as JSON), FROM and, with blame, OVERRODE: each source it won over and its value, nearest first. */
export function varsTable(blame: readonly VarBlame[], withBlame: boolean): string {
  const rows = blame.map((b) => {
    const row = [b.name, JSON.stringify(b.value), describeSource(b.source)];
    if (!withBlame) return row;
    const overrode = [...b.overridden].reverse().map((o) => `${describeSource(o.source)}: ${JSON.stringify(o.value)}`);
    return [...row, overrode.length === 0 ? '-' : overrode.join('; ')];
  });
  return textTable(withBlame ? ['VARIABLE', 'VALUE', 'FROM', 'OVERRODE'] : ['VARIABLE', 'VALUE', 'FROM'], rows);
}
