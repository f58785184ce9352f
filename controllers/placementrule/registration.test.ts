import { describe, expect, it } from '@jest/globals';
import { API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { NodePool } from '../../api/index.js';
import { placementRuleFixture } from './fixture.js';
import { placementRuleController, poolRuleTracker } from './registration.js';

function pool(name: string, rule?: string, deleting = false): NodePool {
  const parsed = parseKind('NodePool', {
    apiVersion: API_VERSION,
    kind: 'NodePool',
    metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { strategyRef: { name: 's' }, ...(rule === undefined ? {} : { placementRuleRef: { name: rule } }) },
  });
  if (!parsed.ok) throw new Error(describeIssues(parsed.issues));
  return parsed.value;
}

const names = (keys: readonly { name: string }[]) => keys.map((k) => k.name);

describe('placementRuleController watches', () => {
  it('maps a pool to its rule and to the rule it named before', () => {
    const tracker = poolRuleTracker();
    expect(names(tracker.rulesOf(pool('p', 'a')))).toEqual(['a']);
    expect(names(tracker.rulesOf(pool('p', 'b')))).toEqual(['a', 'b']);
    expect(names(tracker.rulesOf(pool('p', 'b')))).toEqual(['b']);
    expect(names(tracker.rulesOf(pool('p')))).toEqual(['b']);
    expect(names(tracker.rulesOf(pool('p')))).toEqual([]);
    expect(names(tracker.rulesOf(pool('q', 'c', true)))).toEqual(['c']);
  });

  it('maps a Strategy to the rules of the pools using it', async () => {
    const fx = await placementRuleFixture();
    try {
      await fx.pool('p1', 'eu', 'r1');
      await fx.pool('p2', 'eu', 'r1');
      await fx.pool('p3', 'eu', 'r2');
      await fx.pool('p4', 'other', 'r3');
      await fx.apply('Strategy', 'eu', { providers: [{ name: 'sim-a', type: 'sim' }] });
      const strategy = await fx.store.get('Strategy', { namespace: 'default', name: 'eu' });
      const watch = placementRuleController(fx.deps).watches?.find((w) => w.kind === 'Strategy');
      if (strategy === undefined || watch === undefined) throw new Error('missing strategy or watch');
      expect(names(await watch.map({ ...strategy, kind: 'Strategy' })).sort()).toEqual(['r1', 'r2']);
    } finally {
      await fx.close();
    }
  });
});
