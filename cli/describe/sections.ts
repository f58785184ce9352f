import type { Condition } from '../../api/index.js';
import { textTable } from '../shared/text-table.js';

/** "Title:" and its indented body, or "<none>" when there is nothing to show. */
export function section(title: string, body: string): string {
  return `${title}:${body === '' ? '  <none>\n' : `\n${body}`}`;
}

export function conditionsTable(conditions: readonly Condition[]): string {
  if (conditions.length === 0) return '';
  return textTable(['TYPE', 'STATUS', 'REASON', 'MESSAGE'], conditions.map((c) => [c.type, c.status, c.reason, c.message]), '  ');
}
