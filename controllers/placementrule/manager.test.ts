import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { PlacementRule } from '../../api/index.js';
import { Manager } from '../../runtime/manager/index.js';
import { strategyController } from '../strategy/index.js';
import { NS, placementRuleFixture } from './fixture.js';
import { placementRuleController } from './registration.js';

/**
 * Both controllers on a Manager over the file store: only the watches, never a direct reconcile,
 * bring a rule round when its pools and their Strategies change.
 */
describe('PlacementRule controller on a Manager with the file store', () => {
  let fx: Awaited<ReturnType<typeof placementRuleFixture>>;
  let manager: Manager;

  beforeEach(async () => {
    fx = await placementRuleFixture();
    manager = new Manager({ store: fx.store, log: pino({ level: 'silent' }) });
    manager.register(strategyController(fx.deps));
    manager.register(placementRuleController(fx.deps));
    await manager.start();
  });

  afterEach(async () => {
    await manager.stop();
    await fx.close();
  });

  /** Polls the rule until `done` holds; the deadline only bounds a broken test. */
  async function ruleUntil(name: string, done: (rule: PlacementRule | undefined) => boolean, what: string): Promise<PlacementRule | undefined> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rule = await fx.store.get('PlacementRule', { namespace: NS, name });
      if (done(rule)) return rule;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(rule?.status)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const paths = (rule: PlacementRule | undefined) => rule?.status?.domains?.map((d) => d.path) ?? [];

  it('follows pools joining and leaving a rule and their Strategies changing', async () => {
    await fx.apply('Strategy', 'eu', { providers: [{ name: 'sim-a', type: 'sim' }], geolocation: { continents: ['EU'] } });
    await fx.apply('PlacementRule', 'spread', {});
    await fx.apply('PlacementRule', 'other', {});
    await ruleUntil('spread', (r) => r?.status?.domainCount === 0, 'the unused rule to compile');

    await fx.pool('workers', 'eu', 'spread');
    await ruleUntil('spread', (r) => r?.status?.domainCount === 3, 'the pool to bring its domains');

    await fx.apply('Strategy', 'eu', { providers: [{ name: 'sim-a', type: 'sim' }], geolocation: { countries: ['JP'] } });
    const moved = await ruleUntil('spread', (r) => paths(r).every((p) => p.includes('ap-northeast')) && paths(r).length === 2, 'the Strategy change to move the domains');
    expect(paths(moved)).toEqual(['sim-a/ap-northeast/ap-northeast-a', 'sim-a/ap-northeast/ap-northeast-b']);

    await fx.pool('workers', 'eu', 'other');
    await ruleUntil('other', (r) => r?.status?.domainCount === 2, 'the new rule to gain the pool');
    const left = await ruleUntil('spread', (r) => r?.status?.domainCount === 0, 'the old rule to drop the pool');
    expect(left?.status?.conditions?.find((c) => c.type === 'Ready')?.message).toContain('not used by any NodePool');
  });
});
