/**
 * YAML that PyYAML — YAML 1.1, Ansible's reader — reads back exactly: maps in block style, lists and
 * scalars in flow style, every string double-quoted (so yes, off, 2026-01-01 or 017 stay strings)
 * and every float spelled with a dot (1.0e+21: 1.1 takes 1e+21 for a string). Written by hand: a
 * general YAML library writes 1e+21 bare, and costs seconds for the 10,000 files of a large bundle.
 */
export function ansibleYaml(value: object): string {
  return block(value, '');
}

function block(map: object, indent: string): string {
  let out = '';
  for (const [k, v] of Object.entries(map)) {
    if (isMap(v) && Object.keys(v).length > 0) out += `${indent}${key(k)}:\n${block(v, `${indent}  `)}`;
    else out += `${indent}${key(k)}: ${flow(v)}\n`;
  }
  return out;
}

function isMap(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const YAML11_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/i;

function key(k: string): string {
  return PLAIN_KEY.test(k) && !YAML11_WORDS.test(k) ? k : JSON.stringify(k);
}

function flow(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return number(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${flow(x)}`).join(', ')}}`;
  throw new TypeError(`a ${typeof v} is no YAML value`);
}

function number(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} is no variable value Ansible can read`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const text = String(n);
  if (text.includes('.') || !/e/i.test(text)) return text;
  // "1e+21" → "1.0e+21", "5e-7" → "5.0e-7": YAML 1.1 floats need the dot and a signed exponent.
  return text.replace(/^(-?\d+)e([+-]?)(\d+)$/i, (_, m: string, sign: string, exp: string) => `${m}.0e${sign === '' ? '+' : sign}${exp}`);
}
