import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdChartTemplates, crdFiles, GENERATED_CRD_DIRS } from '../gen/crd-files.js';
import { buildCrd, CRD_KINDS, structuralProblems, type JsonSchema } from './index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function versionOf(crd: JsonSchema): JsonSchema {
  const versions = (crd.spec as { versions: JsonSchema[] }).versions;
  const [v] = versions;
  if (!v) throw new Error('CRD has no version');
  return v;
}

describe('generated CRDs', () => {
  it.each([
    { dir: GENERATED_CRD_DIRS.crds, expected: crdFiles() },
    { dir: GENERATED_CRD_DIRS.chartCrds, expected: crdFiles() },
    { dir: GENERATED_CRD_DIRS.crdChartTemplates, expected: crdChartTemplates() },
  ])('$dir/ is what `npm run gen` writes from api/ (run it and commit if this fails)', ({ dir, expected }) => {
    const onDisk = readdirSync(join(root, dir)).filter((f) => f.endsWith('.yaml'));
    expect(onDisk.sort()).toEqual([...expected.keys()].sort());
    for (const [name, content] of expected) {
      expect(readFileSync(join(root, dir, name), 'utf8')).toBe(content);
    }
  });

  it("the CRD chart's templates are the CRDs of crds/ with the chart's labels and keep annotation", () => {
    const plain = crdFiles();
    for (const [name, template] of crdChartTemplates()) {
      const untemplated = template.replace(/\n {2}labels:\n[\s\S]*?\{\{- end \}\}\n/, '\n');
      expect(untemplated).toBe(plain.get(name));
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
