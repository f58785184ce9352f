import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseResource } from './index.js';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../examples');

function manifests(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as unknown);
}

const validFiles = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'invalid')
  .flatMap((d) => readdirSync(join(examples, d.name)).filter((f) => f.endsWith('.yaml')).map((f) => join(d.name, f)));

describe('examples', () => {
  it('include a quickstart and one per real cloud', () => {
    const dirs = new Set(validFiles.map((f) => f.split('/')[0]));
    for (const d of ['quickstart', 'aws', 'gcp', 'digitalocean']) expect(dirs).toContain(d);
  });

  it.each(validFiles)('%s passes the API schemas', (file) => {
    for (const m of manifests(join(examples, file))) {
      const r = parseResource(m);
      expect(r.ok ? [] : r.issues).toEqual([]);
    }
  });

  it.each(readdirSync(join(examples, 'invalid')))('invalid/%s is rejected by the API schemas', (file) => {
    const text = readFileSync(join(examples, 'invalid', file), 'utf8');
    expect(text).toMatch(/^# expect: \S/);
    const [m] = manifests(join(examples, 'invalid', file));
    expect(parseResource(m).ok).toBe(false);
  });
});
