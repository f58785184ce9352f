import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifests } from './manifests.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart', import.meta.url));
let dir: string;

const strategy = (name: string) => `apiVersion: polyfleet.io/v1alpha1
kind: Strategy
metadata: {name: ${name}}
spec:
  providers: [{name: sim-a, type: sim}]
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-manifests-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadManifests', () => {
  it('reads a directory\'s YAML files by name, validated and defaulted', async () => {
    const manifests = await loadManifests([quickstart]);
    expect(manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`)).toEqual(['NodePool/workers', 'PlacementRule/across-providers', 'Strategy/sim-cheapest']);
    expect(manifests[0]?.source).toBe(`${join(quickstart, 'nodepool.yaml')}, document 1`);
    expect(manifests[0]?.object).toMatchObject({ spec: { readyTimeoutSeconds: 900, dryRun: false } });
  });

  it('reads several YAML documents, a JSON file and a kubectl List', async () => {
    const yaml = write('multi.yaml', `${strategy('a')}---\n---\n${strategy('b')}`);
    const json = write('list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'polyfleet.io/v1alpha1', kind: 'Strategy', metadata: { name: 'c' }, spec: { providers: [{ name: 'x', type: 'sim' }] } }] }));
    const manifests = await loadManifests([yaml, json]);
    expect(manifests.map((m) => m.object.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(manifests[1]?.source).toBe(`${yaml}, document 3`);
    expect(manifests[2]?.source).toBe(`${json}, document 1, items[0]`);
  });

  it.each([
    { name: 'a bad field, named with file and document', file: 'bad-field.yaml', text: `${strategy('ok')}---\n${strategy('bad').replace('type: sim', 'type: vmware')}`, message: /bad-field\.yaml, document 2 \(Strategy "bad"\): spec\.providers\[0\]\.type: / },
    { name: 'an unknown field', file: 'unknown.yaml', text: strategy('u').replace('spec:', 'spec:\n  colour: blue'), message: /unknown\.yaml, document 1 \(Strategy "u"\): spec\.colour: unknown field "colour"/ },
    { name: 'an unknown kind', file: 'kind.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', message: /kind\.yaml, document 1 \(Pod "p"\): kind: must be one of NodePool, Strategy, PlacementRule, Machine, HostGroup; got "Pod"/ },
    { name: 'broken YAML, with its line', file: 'broken.yaml', text: `${strategy('y')}---\nkind: [unclosed\n`, message: /broken\.yaml, document 2, line \d+: not valid YAML/ },
    { name: 'broken JSON', file: 'broken.json', text: '{"kind": ', message: /broken\.json: not valid JSON/ },
    { name: 'the same object twice', file: 'twice.yaml', text: `${strategy('t')}---\n${strategy('t')}`, message: /twice\.yaml, document 2: Strategy "t" is also in .*twice\.yaml, document 1/ },
  ])('refuses $name', async ({ file, text, message }) => {
    await expect(loadManifests([write(file, text)])).rejects.toThrow(message);
  });

  it('refuses a missing path and a directory without manifests, naming them', async () => {
    await expect(loadManifests([join(dir, 'nope.yaml')])).rejects.toThrow(`cannot read ${join(dir, 'nope.yaml')}: ENOENT`);
    mkdirSync(join(dir, 'empty'));
    await expect(loadManifests([join(dir, 'empty')])).rejects.toThrow(`${join(dir, 'empty')}: no .yaml, .yml or .json files in this directory`);
  });
});
