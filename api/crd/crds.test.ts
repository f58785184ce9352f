import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdFiles } from '../gen/crd-files.js';
import { buildCrd, CRD_KINDS, structuralProblems, type JsonSchema } from './index.js';

const crdDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../crds');

function versionOf(crd: JsonSchema): JsonSchema {
  const versions = (crd.spec as { versions: JsonSchema[] }).versions;
  const [v] = versions;
  if (!v) throw new Error('CRD has no version');
  return v;
}

describe('generated CRDs', () => {
  it('crds/ is what `npm run gen` writes from api/ (run it and commit if this fails)', () => {
    const expected = crdFiles();
    const onDisk = readdirSync(crdDir).filter((f) => f.endsWith('.yaml'));
    expect(onDisk.sort()).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) {
      expect(readFileSync(join(crdDir, name), 'utf8')).toBe(content);
    }
  });

  it.each(CRD_KINDS.map((k) => [k.kind, k] as const))('%s has a structural schema with every field described', (_, k) => {
    const schema = (versionOf(buildCrd(k)).schema as { openAPIV3Schema: JsonSchema }).openAPIV3Schema;
    expect(structuralProblems(schema)).toEqual([]);
  });

  it('every kind has the status subresource, the polyfleet category and a short name', () => {
    for (const k of CRD_KINDS) {
      const crd = buildCrd(k);
      expect(versionOf(crd).subresources).toHaveProperty('status');
      const names = (crd.spec as { names: { categories: string[]; shortNames: string[] } }).names;
      expect(names.categories).toContain('polyfleet');
      expect(names.shortNames.length).toBeGreaterThan(0);
    }
  });

  it('NodePool scales through .spec.replicas with a selector', () => {
    const nodePool = CRD_KINDS.find((k) => k.kind === 'NodePool');
    if (!nodePool) throw new Error('no NodePool');
    expect(versionOf(buildCrd(nodePool)).subresources).toEqual({
      status: {},
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
    });
  });

  it('cross-field rules reach the API server as CEL', () => {
    const text = [...crdFiles().values()].join('\n');
    expect(text).toContain('self.minCPU <= self.maxCPU');
    expect(text).toContain("self[0].op == 'take'");
    expect(text).toContain('s.type in self.failureDomains');
    expect(text).toContain('x-kubernetes-list-map-keys');
  });

  it('the structural checker finds what the API server would refuse', () => {
    expect(structuralProblems({ type: 'object', properties: { a: { anyOf: [] } } })).toEqual([
      '.a: no type',
      '.a: uses anyOf',
      '.a: no description',
    ]);
    expect(structuralProblems({ type: 'object', properties: { metadata: { type: 'object', description: 'meta' } } })).toEqual([
      '.metadata: only type is allowed, not description',
    ]);
  });
});
