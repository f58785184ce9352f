/** Rows under a header, columns three spaces apart as kubectl prints them; the last column is not padded. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], indent = ''): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => indent + r.map((v, i) => (i === r.length - 1 ? v : v.padEnd((widths[i] ?? 0) + 3))).join('');
  return [header, ...rows].map(line).join('\n') + '\n';
}
