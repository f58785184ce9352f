import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { findCondition } from '../shared/index.js';
import { PLACEMENT_RULE_RESYNC_MS } from './controller.js';
import { placementRuleFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof placementRuleFixture>>;
beforeEach(async () => {
  fx = await placementRuleFixture();
});
afterEach(async () => {
  await fx.close();
});

/** Two sim accounts, Europe only: 6 zones. */
const EU_SPREAD = { providers: [{ name: 'sim-a', type: 'sim' }, { name: 'sim-b', type: 'sim' }], geolocation: { continents: ['EU'] } };
const EU_ZONES = ['sim-a/eu-central/eu-central-a', 'sim-a/eu-central/eu-central-b', 'sim-a/eu-central/eu-central-c', 'sim-b/eu-central/eu-central-a', 'sim-b/eu-central/eu-central-b', 'sim-b/eu-central/eu-central-c'];

const conditions = async (name: string) => (await fx.mustGet(name)).status?.conditions;

describe('placement rule controller', () => {
  it('compiles a rule no pool uses on its own and says it is unused', async () => {
    await fx.apply('PlacementRule', 'spread', {});
    expect(await fx.reconcile('spread')).toEqual({ requeueAfterMs: PLACEMENT_RULE_RESYNC_MS });
    const rule = await fx.mustGet('spread');
    expect(rule.status).toMatchObject({ domainCount: 0, domains: [], observedGeneration: rule.metadata.generation });
    expect(findCondition(rule.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'Compiled', message: expect.stringContaining('not used by any NodePool') });
    expect(findCondition(rule.status?.conditions, 'InvalidSpec')).toMatchObject({ status: 'False', reason: 'SpecValid' });
  });

  it('lists the leaf domains of the Strategies its pools use, with their weights', async () => {
    await fx.apply('Strategy', 'eu', EU_SPREAD);
    await fx.apply('PlacementRule', 'spread', {});
    await fx.pool('workers', 'eu', 'spread');
    await fx.reconcile('spread');
    const rule = await fx.mustGet('spread');
    expect(rule.status?.domainCount).toBe(6);
    expect(rule.status?.domains).toEqual(EU_ZONES.map((path) => ({ path, weight: 1 })));
    expect(findCondition(rule.status?.conditions, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Compiled',
      message: '6 leaf domains; used by 1 NodePool (workers) through Strategy eu',
    });
  });

  it.each([
    { name: 'inversePrice', spec: { weighting: 'inversePrice' }, check: (w: number[]) => Math.max(...w) === 1 && w.some((x) => x < 1) },
    { name: 'domainWeights draining an account', spec: { domainWeights: { 'sim-b': 0 } }, check: (w: number[]) => w.join() === '1,1,1,0,0,0' },
  ])('weighs leaves by $name', async ({ spec, check }) => {
    await fx.apply('Strategy', 'eu', EU_SPREAD);
    await fx.apply('PlacementRule', 'spread', spec);
    await fx.pool('workers', 'eu', 'spread');
    await fx.reconcile('spread');
    const weights = (await fx.mustGet('spread')).status?.domains?.map((d) => d.weight) ?? [];
    expect(check(weights)).toBe(true);
  });

  it('merges the domains of every Strategy used with it, at the rule levels', async () => {
    await fx.apply('Strategy', 'eu', EU_SPREAD);
    await fx.apply('Strategy', 'asia', { providers: [{ name: 'sim-c', type: 'sim' }], geolocation: { countries: ['JP'] } });
    await fx.apply('PlacementRule', 'by-region', { failureDomains: ['provider', 'region'] });
    await fx.pool('a', 'eu', 'by-region');
    await fx.pool('b', 'asia', 'by-region');
    await fx.pool('c', 'asia', 'other-rule');
    await fx.reconcile('by-region');
    const rule = await fx.mustGet('by-region');
    expect(rule.status?.domains?.map((d) => d.path)).toEqual(['sim-a/eu-central', 'sim-b/eu-central', 'sim-c/ap-northeast']);
    expect(findCondition(rule.status?.conditions, 'Ready')?.message).toBe('3 leaf domains; used by 2 NodePools (a, b) through Strategies asia, eu');
  });

  it.each([
    {
      name: 'a level that is not provider, region or zone',
      spec: { failureDomains: ['provider', 'rack'] },
      reason: 'UnsupportedLevel',
      message: 'failureDomains[1] "rack" is not a supported level (supported: provider, region, zone)',
    },
    {
      name: 'a bucket deeper than the levels',
      spec: { failureDomains: ['provider'], steps: [{ op: 'take', bucket: 'sim-a/eu-central' }, { op: 'chooseleaf', mode: 'firstn', count: 0, type: 'provider' }, { op: 'emit' }] },
      reason: 'ConstraintError',
      message: 'bucket "sim-a/eu-central" is neither "root" nor a domain path of the hierarchy',
    },
    {
      name: 'a bucket its pools have no domain for',
      spec: { steps: [{ op: 'take', bucket: 'sim-z' }, { op: 'chooseleaf', mode: 'firstn', count: 0, type: 'zone' }, { op: 'emit' }] },
      reason: 'ConstraintError',
      message: 'steps[0] (take): bucket "sim-z" is neither "root" nor a domain path of the hierarchy',
    },
  ])('reports InvalidSpec for $name, with one Warning', async ({ spec, reason, message }) => {
    await fx.apply('Strategy', 'eu', EU_SPREAD);
    await fx.apply('PlacementRule', 'bad', spec);
    await fx.pool('workers', 'eu', 'bad');
    await fx.reconcile('bad');
    await fx.reconcile('bad');
    const rule = await fx.mustGet('bad');
    expect(rule.status?.domainCount).toBe(0);
    expect(findCondition(rule.status?.conditions, 'InvalidSpec')).toMatchObject({ status: 'True', reason, message: expect.stringContaining(message) });
    expect(findCondition(rule.status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason });
    expect(fx.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'InvalidSpec', regarding: expect.objectContaining({ kind: 'PlacementRule', name: 'bad' }) })]);
  });

  it('is not Ready while its pools name a Strategy that does not exist, and says which', async () => {
    await fx.apply('PlacementRule', 'spread', {});
    await fx.pool('workers', 'missing', 'spread');
    await fx.reconcile('spread');
    expect(findCondition(await conditions('spread'), 'Ready')).toMatchObject({
      status: 'False',
      reason: 'NoOfferings',
      message: 'no failure domain: the rule is used by 1 NodePool (workers) through no existing Strategy, which resolve no offerings; Strategies not found: missing',
    });
  });

  it("notes a Strategy's unreadable account and compiles the rest", async () => {
    (await fx.sim('sim-b')).failNext('regions', 'auth');
    await fx.apply('Strategy', 'eu', EU_SPREAD);
    await fx.apply('PlacementRule', 'spread', {});
    await fx.pool('workers', 'eu', 'spread');
    await fx.reconcile('spread');
    const rule = await fx.mustGet('spread');
    expect(rule.status?.domainCount).toBe(3);
    expect(findCondition(rule.status?.conditions, 'Ready')?.message).toMatch(/^3 leaf domains; .*; Strategy "eu": provider account "sim-b": /);
  });

  it('writes nothing when nothing changed', async () => {
    await fx.apply('PlacementRule', 'spread', {});
    await fx.reconcile('spread');
    const before = (await fx.mustGet('spread')).metadata.resourceVersion;
    await fx.reconcile('spread');
    expect((await fx.mustGet('spread')).metadata.resourceVersion).toBe(before);
  });
});
