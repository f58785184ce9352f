// Reading what the crush commands are pointed at: the map, x lists, reweights, x ranges.

import { readFile } from 'node:fs/promises';
import type { Mapper } from '../../placement/index.js';
import { createMapper, parseTestMap } from '../../placement/index.js';
import { integerValue, MAX_U32, UsageError } from './flags.js';

/** A file the user named could not be used; exit 1 with the message. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

async function readJson(flag: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`--${flag} ${file}: cannot read it (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`--${flag} ${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The crush-testmap-v1 map; CrushMapError (exit 1) lists what is wrong with it. */
export async function loadMapper(file: string): Promise<Mapper> {
  return createMapper(parseTestMap(await readJson('map', file)));
}

/** A JSON array of u32 values, e.g. an x list or a reweight vector. */
export async function readU32Array(flag: string, file: string): Promise<number[]> {
  const json = await readJson(flag, file);
  if (!Array.isArray(json)) throw new InputError(`--${flag} ${file}: expected a JSON array of u32 values`);
  return json.map((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_U32) {
      throw new InputError(`--${flag} ${file}: element ${i} is ${JSON.stringify(v)}, expected a u32 (0..${MAX_U32})`);
    }
    return v;
  });
}

/** START:COUNT, both decimal; the range must stay within u32. */
export function parseXRange(text: string): { start: number; count: number } {
  const match = /^(\d+):(\d+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--x must be START:COUNT (e.g. 0:10000), got ${JSON.stringify(text)}`);
  const start = integerValue('x', match[1] ?? '', 0, MAX_U32);
  const count = integerValue('x', match[2] ?? '', 0, MAX_U32 + 1);
  if (start + count > MAX_U32 + 1) throw new UsageError(`--x ${text} runs past x = ${MAX_U32}`);
  return { start, count };
}

/** --rule as a rule id of this map. */
export function ruleFlag(mapper: Mapper, text: string): number {
  const id = integerValue('rule', text, 0, 0xffff);
  if (!mapper.map.rules.some((r) => r.id === id)) {
    const ids = mapper.map.rules.map((r) => r.id).join(', ');
    throw new UsageError(`--rule ${id}: the map "${mapper.map.name}" has no such rule (its rules: ${ids})`);
  }
  return id;
}
