import { describe, expect, it } from '@jest/globals';
import { explainMapping } from './explain.js';
import { formatExplanation, summarizeExplanation } from './explain-text.js';
import { parseTestMap } from './load-testmap.js';
import { createMapper } from './mapper.js';
import { straw2Draw } from './straw2.js';
import { readVector } from './vectors-fixture.js';

const mapper = createMapper(parseTestMap(readVector('map_tree3.json')));

describe('explainMapping', () => {
  it('ends in the same result as the fast path, for every rule', () => {
    for (const rule of [0, 1, 2, 3, 4, 5, 6]) {
      for (let x = 0; x < 50; x++) expect(explainMapping(mapper, rule, x, 4).result).toEqual(mapper.mapInput(rule, x, 4));
    }
  });

  it('lists each step with its input and output', () => {
    const e = explainMapping(mapper, 0, 42, 3);
    expect(e.steps.map((s) => s.text)).toEqual(['take root', 'chooseleaf firstn 0 type zone', 'emit']);
    expect(e.steps[1]?.input).toEqual([-1]);
    expect(e.steps[1]?.output).toEqual(e.result);
    expect(e.resultNames).toEqual(e.result.map((d) => `osd.${d}`));
  });

  it('shows every draw of a visited bucket, with u and the draw value', () => {
    const e = explainMapping(mapper, 0, 42, 3);
    const first = e.steps[1]?.events[0];
    if (first?.kind !== 'draw') throw new Error('the first event should be a draw in root');
    expect(first.bucketName).toBe('root');
    expect(first.draws.map((d) => d.name)).toEqual(['p0', 'p1', 'p2']);
    for (const d of first.draws) expect(d.draw).toBe(straw2Draw(42, d.item, first.r, d.weight).draw);
    const best = Math.max(...first.draws.map((d) => d.draw ?? -Infinity));
    expect(first.draws.find((d) => d.draw === best)?.item).toBe(first.chosen);
  });

  it('records collisions with their retry counter and the give-up of a short firstn result', () => {
    const e = explainMapping(mapper, 1, 5995, 3);
    const events = e.steps[1]?.events ?? [];
    const collisions = events.filter((ev) => ev.kind === 'collision');
    expect(collisions.map((c) => c.retry)).toEqual([...collisions.keys()]);
    expect(events.at(-1)).toMatchObject({ kind: 'giveUp', rep: 2, reason: 'triesExhausted', retry: 50 });
    expect(e.result).toEqual([7, 56]);
  });

  it('records devices rejected as out', () => {
    const allOutButOne = Array.from({ length: 59 }, (_, d) => (d === 25 ? 0x10000 : 0));
    const e = explainMapping(mapper, 0, 3, 3, allOutButOne);
    const rejects = e.steps[1]?.events.filter((ev) => ev.kind === 'reject') ?? [];
    expect(rejects.length).toBeGreaterThan(0);
    expect(rejects.every((r) => r.reason === 'out' || r.reason === 'noLeaf')).toBe(true);
    expect(e.result).toEqual([25]);
  });

  it('records indep holes', () => {
    const e = explainMapping(mapper, 5, 0, 4);
    expect(e.steps[1]?.events.filter((ev) => ev.kind === 'hole')).toHaveLength(1);
  });

  it('gives each placed item its path and retries', () => {
    const e = explainMapping(mapper, 3, 7, 4);
    expect(e.placements[1]).toEqual({ step: 1, rep: 1, item: -25, path: ['root', 'p1'], retries: 1 });
    expect(e.placements[2]).toMatchObject({ path: ['p0', 'p0-r0', 'p0-r0-z2', 'osd.6'], leaf: 6 });
  });
});

describe('the text forms', () => {
  it('reads step by step', () => {
    const text = formatExplanation(explainMapping(mapper, 3, 7, 4));
    expect(text).toContain('CRUSH map "tree3", rule 3 "r3_choose_indep2_provider_chooseleaf_indep2_zone", x=7, result_max 4');
    expect(text).toContain('step 2: choose indep 2 type provider');
    expect(text).toMatch(/draw in root r=0: p0\(u=\d+ draw=-\d+\), p1\(u=\d+ draw=-\d+\), p2\(u=\d+ draw=-\d+\) -> p0/);
    expect(text).toContain('rep 1 try 0: collision, p0 is already chosen; retry');
    expect(text).toContain('    leaf try 0: accept osd.6');
    expect(text).toContain('result: [6, 18, 33, 38] = [osd.6, osd.18, osd.33, osd.38]');
  });

  it('summarizes on one line for status fields', () => {
    const line = summarizeExplanation(explainMapping(mapper, 0, 42, 3));
    expect(line).toBe(
      'rule 0 x=42: root>p0>p0-r0>p0-r0-z0>osd.0; root>p2>p2-r3>p2-r3-z1>osd.57; root>p0>p0-r2>p0-r2-z0>osd.16 => [osd.0, osd.57, osd.16]',
    );
    expect(line).not.toContain('\n');
  });
});
