import { HttpProblem } from '../../runtime/http/index.js';
import type { HostFilter } from '../host-filter.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Refuses query parameters the route does not know, naming them and the ones it does. */
export function onlyParams(query: URLSearchParams, known: readonly string[]): void {
  const unknown = [...new Set(query.keys())].filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new HttpProblem(400, `unknown query parameter ${unknown.map((k) => JSON.stringify(k)).join(', ')}; this path takes ${known.length === 0 ? 'none' : known.join(', ')}`);
  }
}

/** A parameter given at most once. */
export function single(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  if (all.length > 1) throw new HttpProblem(400, `query parameter ${name} is given ${all.length} times; give it once`);
  return all[0];
}

export function booleanParam(query: URLSearchParams, name: string): boolean {
  const v = single(query, name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new HttpProblem(400, `query parameter ${name} must be true or false, got ${JSON.stringify(v)}`);
}

export const FILTER_PARAMS = ['region', 'group', 'label', 'var'] as const;

/** region=, group=, label=KEY=VALUE and var=KEY=VALUE (each of the last two repeatable): which hosts are kept. */
export function filterParams(query: URLSearchParams): HostFilter {
  const region = single(query, 'region');
  const group = single(query, 'group');
  return {
    ...(region === undefined ? {} : { region }),
    ...(group === undefined ? {} : { group }),
    labels: query.getAll('label').map((t) => keyValue('label', t)),
    vars: query.getAll('var').map((t) => keyValue('var', t)),
  };
}

function keyValue(name: string, text: string): { key: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0) throw new HttpProblem(400, `query parameter ${name} must be KEY=VALUE (e.g. ${name}=role%3Dweb), got ${JSON.stringify(text)}`);
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

export function limitParam(query: URLSearchParams): number {
  const text = single(query, 'limit');
  if (text === undefined) return DEFAULT_LIMIT;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) throw new HttpProblem(400, `query parameter limit must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(text)}`);
  return n;
}

/** Where a page of hosts starts: after this host of this tenant. */
export interface PagePosition {
  readonly tenant: string;
  readonly host: string;
}

export function encodeContinue(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.tenant, position.host])).toString('base64url');
}

export function continueParam(query: URLSearchParams): PagePosition | undefined {
  const text = single(query, 'continue');
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return { tenant: parsed[0], host: parsed[1] };
  } catch {
    // answered below
  }
  throw new HttpProblem(400, 'query parameter continue is not a token this server gave out: pass the "continue" of the previous page unchanged, with the same filters');
}
