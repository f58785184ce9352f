import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseResource } from '../../api/index.js';
import { kubectl, kubectlOk, repoRoot, validExampleDirs } from './kubectl.js';

const CRDS = ['nodepools', 'strategies', 'placementrules', 'machines', 'hostgroups'].map((p) => `${p}.polyfleet.io`);

function documents(file: string): unknown[] {
  return parseAllDocuments(readFileSync(join(repoRoot, file), 'utf8')).map((d) => d.toJS() as unknown);
}

beforeAll(async () => {
  await kubectlOk(['apply', '-f', 'crds/']);
  await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', ...CRDS.map((c) => `crd/${c}`)]);
  await kubectlOk(['apply', ...validExampleDirs().flatMap((d) => ['-f', d])]);
});

describe('CRDs on a real API server', () => {
  it('establishes all five, in the polyfleet category', async () => {
    const names = await kubectlOk(['get', 'crd', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(names.split(' ').filter((n) => n.endsWith('.polyfleet.io')).sort()).toEqual([...CRDS].sort());
    const all = await kubectlOk(['get', 'polyfleet', '-o', 'name']);
    expect(all).toContain('nodepool.polyfleet.io/workers');
    expect(all).toContain('strategy.polyfleet.io/sim-cheapest');
    expect(all).toContain('placementrule.polyfleet.io/across-providers');
  });

  it('applies every example, and the server defaults them exactly as the zod schemas do', async () => {
    for (const dir of validExampleDirs()) {
      for (const file of readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith('.yaml'))) {
        for (const doc of documents(join(dir, file))) {
          const parsed = parseResource(doc);
          if (!parsed.ok) throw new Error(`${dir}/${file}: ${JSON.stringify(parsed.issues)}`);
          const { kind, metadata } = parsed.value;
          const served = JSON.parse(await kubectlOk(['get', kind.toLowerCase(), metadata.name, '-o', 'json'])) as { spec: unknown };
          expect({ file: `${dir}/${file}`, kind, spec: served.spec }).toEqual({ file: `${dir}/${file}`, kind, spec: parsed.value.spec });
        }
      }
    }
  });

  it('scales a NodePool through the scale subresource', async () => {
    expect(await kubectlOk(['scale', 'nodepool/workers', '--replicas=9'])).toContain('scaled');
    expect(await kubectlOk(['get', 'nodepool', 'workers', '-o', 'jsonpath={.spec.replicas}'])).toBe('9');
    const scale = JSON.parse(await kubectlOk(['get', '--raw', '/apis/polyfleet.io/v1alpha1/namespaces/default/nodepools/workers/scale'])) as {
      spec: { replicas: number };
    };
    expect(scale.spec.replicas).toBe(9);
  });

  it('prints the NodePool and Machine columns', async () => {
    const header = (await kubectlOk(['get', 'nodepools'])).split('\n')[0]?.split(/\s+/);
    expect(header).toEqual(['NAME', 'DESIRED', 'READY', 'COST/H', 'STRATEGY', 'AGE']);
    expect(await kubectlOk(['get', 'nodepools'])).toMatch(/^workers\s+sim-cheapest\s+\d+s$/m);
    const strategies = (await kubectlOk(['get', 'strategies'])).split('\n')[0]?.split(/\s+/);
    expect(strategies).toEqual(['NAME', 'PICK', 'OFFERINGS', 'AGE']);
  });

  it('explains fields with the schema descriptions', async () => {
    const out = (await kubectlOk(['explain', 'nodepool.spec.redundancy'])).replace(/\s+/g, ' ');
    expect(out).toContain('"N:1" runs N times the replicas, "+N" adds N spares');
  });
});

const invalidFiles = readdirSync(join(repoRoot, 'examples/invalid')).filter((f) => f.endsWith('.yaml'));

describe('examples/invalid: rejected by the API server and by the zod schemas, on the same field', () => {
  it.each(invalidFiles)('%s', async (file) => {
    const path = join('examples/invalid', file);
    const expected = /^# expect: (.+)$/m.exec(readFileSync(join(repoRoot, path), 'utf8'))?.[1];
    if (!expected) throw new Error(`${path} has no "# expect:" line`);

    const server = await kubectl(['apply', '-f', path]);
    expect(server.code).not.toBe(0);
    expect(server.stderr).toContain(expected);

    const [doc] = documents(path);
    const parsed = parseResource(doc);
    if (parsed.ok) throw new Error(`zod accepted ${path}`);
    const [first] = parsed.issues;
    expect(server.stderr).toContain(first?.path);
  });
});
