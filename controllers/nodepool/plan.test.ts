import { describe, expect, it } from '@jest/globals';
import { machine, offerings, planInput, ruledInput, ruleSpec } from './plan-fixture.js';
import { planPool } from './plan.js';

describe('planPool: counts', () => {
  it.each([
    { redundancy: '1:1', replicas: 3, want: 3 },
    { redundancy: '2:1', replicas: 3, want: 6 },
    { redundancy: '+2', replicas: 3, want: 5 },
    { redundancy: '+0', replicas: 0, want: 0 },
  ])('redundancy $redundancy of $replicas replicas creates $want Machines', ({ redundancy, replicas, want }) => {
    const plan = planPool(planInput({ spec: { replicas, redundancy, disruption: { maxUnavailable: 1 } } }));
    expect(plan.desired).toBe(want);
    expect(plan.creates.map((c) => c.slot)).toEqual([...Array(want).keys()]);
  });

  it('creates only the slots no Machine fills', () => {
    const plan = planPool(planInput({ machines: [machine('m0', 0, { phase: 'Running' }), machine('m2', 2, { phase: 'Provisioning' })] }));
    expect(plan.creates.map((c) => c.slot)).toEqual([1]);
    expect(plan.deletes).toEqual([]);
  });

  it('treats terminating Machines as gone: their slot is filled again', () => {
    const plan = planPool(planInput({ machines: [machine('m0', 0, { deleting: true })] }));
    expect(plan.creates.map((c) => c.slot)).toEqual([0, 1, 2]);
    expect(plan.terminating.map((m) => m.metadata.name)).toEqual(['m0']);
  });
});

describe('planPool: deletions', () => {
  it('scales down from the highest slot', () => {
    const machines = [0, 1, 2, 3, 4].map((slot) => machine(`m${slot}`, slot, { phase: 'Running' }));
    const plan = planPool(planInput({ spec: { replicas: 2, redundancy: '1:1', disruption: { maxUnavailable: 1 } }, machines }));
    expect(plan.deletes.map((d) => [d.machine.metadata.name, d.reason])).toEqual([
      ['m4', 'scaleDown'],
      ['m3', 'scaleDown'],
      ['m2', 'scaleDown'],
    ]);
    expect(plan.creates).toEqual([]);
  });

  it('replaces a Failed Machine in its slot and keeps the oldest of two in one slot', () => {
    const machines = [
      machine('m0', 0, { phase: 'Failed', instanceId: 'i-0' }),
      machine('m1-young', 1, { createdAt: '2026-01-02T00:00:00Z' }),
      machine('m1-old', 1, { createdAt: '2026-01-01T00:00:00Z' }),
      machine('m2', 2, { phase: 'Running' }),
    ];
    const plan = planPool(planInput({ machines }));
    expect(plan.deletes.map((d) => [d.machine.metadata.name, d.reason])).toEqual([
      ['m1-young', 'duplicate'],
      ['m0', 'failed'],
    ]);
    expect(plan.creates.map((c) => c.slot)).toEqual([0]);
  });

  it('replaces failed Machines only up to the remediation budget; the rest keep their slots, failed', () => {
    const machines = [0, 1, 2].map((slot) => machine(`m${slot.toString()}`, slot, { phase: 'Failed', instanceId: `i-${slot.toString()}` }));
    const plan = planPool(planInput({ machines, replaceBudget: 2 }));
    expect(plan.deletes.map((d) => [d.machine.metadata.name, d.reason])).toEqual([
      ['m1', 'failed'],
      ['m0', 'failed'],
    ]);
    expect(plan.held.map((m) => m.metadata.name)).toEqual(['m2']);
    expect(plan.creates.map((c) => c.slot)).toEqual([0, 1]);
  });

  it('replaces a Machine whose create was refused without counting it against remediation: that is how a pool falls back', () => {
    const machines = [machine('m0', 0, { phase: 'Failed' }), machine('m1', 1, { phase: 'Failed', instanceId: 'i-1' })];
    const plan = planPool(planInput({ machines, replaceBudget: 0 }));
    expect(plan.deletes.map((d) => [d.machine.metadata.name, d.reason])).toEqual([['m0', 'createFailed']]);
    expect(plan.held.map((m) => m.metadata.name)).toEqual(['m1']);
  });

  it.each([
    { name: 'one Running drained Machine moves when all else runs', phases: ['Running', 'Running', 'Running'] as const, moved: ['m2'] },
    { name: 'at most maxUnavailable Running ones move at once', phases: ['Running', 'Running', 'Running'] as const, drainAll: true, moved: ['m2'] },
    { name: 'none moves while another slot is not Running', phases: ['Running', 'Provisioning', 'Running'] as const, moved: [] },
  ])('drained domain: $name', ({ phases, drainAll, moved }) => {
    const machines = phases.map((phase, slot) => machine(`m${slot}`, slot, { phase, provider: slot === 2 || drainAll === true ? 'sim-c' : 'sim-a' }));
    const plan = planPool(ruledInput(ruleSpec({ domainWeights: { 'sim-c': 0 } }), { machines }));
    expect(plan.deletes.filter((d) => d.reason === 'drained').map((d) => d.machine.metadata.name)).toEqual(moved);
    for (const c of plan.creates) expect(c.domain.startsWith('sim-c/')).toBe(false);
  });
});

describe('planPool: pick', () => {
  const shuffled = offerings(['sim-a'], ['z1'], { cheap: '0.01', mid: '0.02', dear: '0.03' }).reverse();

  it.each([
    { pick: 'first' as const, want: 'cheap' },
    { pick: 'cheapest' as const, want: 'cheap' },
    { pick: 'priciest' as const, want: 'cheap' },
  ])('$pick takes the lowest rank the Strategy gave', ({ pick, want }) => {
    const plan = planPool(planInput({ pick, offerings: shuffled }));
    expect(plan.creates.map((c) => c.offering.instanceType)).toEqual([want, want, want]);
  });

  it('random is reproducible for a pool, differs between pools, and spreads', () => {
    const spec = { replicas: 30, redundancy: '1:1', disruption: { maxUnavailable: 1 } };
    const types = (uid: string) => planPool(planInput({ pick: 'random', spec, poolUid: uid, offerings: shuffled })).creates.map((c) => c.offering.instanceType);
    expect(types('pool-a')).toEqual(types('pool-a'));
    expect(types('pool-a')).not.toEqual(types('pool-b'));
    expect(new Set(types('pool-a')).size).toBe(3);
  });

  it('skips offerings the back-off marked out, by type, zone or account', () => {
    const offers = offerings(['sim-a', 'sim-b'], ['z1'], { t1: '0.01', t2: '0.02' });
    const out = new Set(['sim-a/r1/z1/t1', 'sim-b']);
    const plan = planPool(planInput({ offerings: offers, isOut: (p) => [...out].some((o) => p === o || p.startsWith(`${o}/`)) }));
    expect(plan.creates.map((c) => `${c.offering.provider}/${c.offering.instanceType}`)).toEqual(['sim-a/t2', 'sim-a/t2', 'sim-a/t2']);
    expect(plan.creates[0]?.explanation).toBe('slot 0: no PlacementRule; picked t2 at $0.02/h by cheapest among 1 usable offerings');
  });

  it('reports slots no offering can take', () => {
    const plan = planPool(planInput({ isOut: () => true }));
    expect(plan.creates).toEqual([]);
    expect(plan.unplaced.map((u) => u.slot)).toEqual([0, 1, 2]);
  });
});

describe('planPool: placement', () => {
  const spec = { replicas: 24, redundancy: '1:1', disruption: { maxUnavailable: 1 } };

  it('a domain marked out moves only the slots that were in it', () => {
    const before = planPool(ruledInput(ruleSpec(), { spec })).creates.map((c) => c.domain);
    const victim = before[0] ?? '';
    const after = planPool(ruledInput(ruleSpec(), { spec, isOut: (p) => p.startsWith(`${victim}/`) || p === victim })).creates.map((c) => c.domain);
    expect(after).toHaveLength(24);
    before.forEach((domain, slot) => {
      if (domain === victim) expect(after[slot]).not.toBe(victim);
      else expect(after[slot]).toBe(domain);
    });
  });

  it('spreads every group of 3 over 3 accounts', () => {
    const plan = planPool(ruledInput(ruleSpec({ groupSize: 3 }), { spec }));
    for (let g = 0; g < 8; g++) {
      const accounts = plan.creates.slice(g * 3, g * 3 + 3).map((c) => c.offering.provider);
      expect(new Set(accounts).size).toBe(3);
    }
  });

  it('explains each slot with the CRUSH short form and the pick', () => {
    const plan = planPool(ruledInput(ruleSpec()));
    const first = plan.creates[0];
    expect(first?.explanation).toMatch(/^slot 0 \(group 0, position 0, x=\d+\): sim-.\/r1\/z. via .*; picked t1 at \$0\.01\/h by cheapest among 2 in sim-.\/r1\/z.$/);
  });
});

describe('planPool: budget', () => {
  it('stops creating at the cap and says why; the plan still shows every slot', () => {
    const plan = planPool(planInput({ maxHourlyTotal: '0.025', machines: [machine('m0', 0, { phase: 'Running', price: '0.01' })] }));
    expect(plan.creates.map((c) => c.slot)).toEqual([1]);
    expect(plan.budgetBlock?.message).toBe('maxHourlyTotal $0.025: the pool\'s Machines cost $0.02/h and slot 2 at $0.01/h would make $0.03/h');
    expect(plan.nodes.map((n) => [n.slot, n.instanceType, n.hourlyPrice])).toEqual([
      [0, 't1', undefined],
      [1, 't1', '0.01'],
      [2, 't1', '0.01'],
    ]);
    expect(plan.nodes[0]?.explanation).toBe('kept Machine m0 (Running)');
    expect(plan.nodes[2]?.explanation).toContain('; not created: maxHourlyTotal $0.025');
  });

  it('counts a reported price over the price the Machine was chosen at', () => {
    const m0 = machine('m0', 0, { phase: 'Running', price: '0.01' });
    const reported = { ...m0, status: { phase: 'Running' as const, hourlyPrice: '0.02' } };
    const plan = planPool(planInput({ maxHourlyTotal: '0.035', machines: [reported] }));
    expect(plan.creates.map((c) => c.slot)).toEqual([1]);
  });
});
