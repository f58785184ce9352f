import { describe, expect, it } from '@jest/globals';
import type { Condition, NodePool, Strategy } from '../../api/index.js';
import { testNodePool, testStrategy } from '../../runtime/testing/objects.js';
import { hopeless } from './pool-wait.js';

const T = '2026-01-01T00:00:00Z';
const cond = (type: string, status: Condition['status'], reason: string, message: string, observedGeneration = 1): Condition => ({ type, status, reason, message, observedGeneration, lastTransitionTime: T });

function strategy(conditions: Condition[], generation = 1): Strategy {
  const s = testStrategy('default', 'cheap');
  return { ...s, metadata: { ...s.metadata, generation }, status: { observedGeneration: 1, offeringCount: 0, offerings: [], conditions } };
}
function pool(conditions: Condition[] = []): NodePool {
  const p = testNodePool('default', 'cheap', 'cheap');
  return { ...p, metadata: { ...p.metadata, generation: 1 }, status: { conditions } };
}

const noOfferings = cond('NoOfferings', 'True', 'NoOfferings', 'no offering passes every filter: 1 account, 3 regions, 39 offerings, 0 after hardware');

describe('hopeless: when create stops waiting', () => {
  it.each([
    { name: 'a filter removed every offering', conditions: [noOfferings, cond('AccountsReadable', 'True', 'AllAccountsRead', '1 account read')], why: 'Strategy "cheap" has no offerings: no offering passes every filter: 1 account, 3 regions, 39 offerings, 0 after hardware' },
    { name: 'credentials refused', conditions: [noOfferings, cond('AccountsReadable', 'False', 'CredentialsFailed', 'provider account "sim-a": refused')], why: /^Strategy "cheap" has no offerings: / },
    { name: 'an account misconfigured', conditions: [noOfferings, cond('AccountsReadable', 'False', 'AccountsMisconfigured', 'regions not offered')], why: /^Strategy "cheap" has no offerings: / },
    { name: 'an account unreachable: it may come back', conditions: [noOfferings, cond('AccountsReadable', 'False', 'AccountsUnreachable', 'throttled')], why: undefined },
    { name: 'offerings there (the pool waits for capacity or machines)', conditions: [cond('NoOfferings', 'False', 'OfferingsResolved', '3 acceptable offerings'), cond('AccountsReadable', 'False', 'CredentialsFailed', 'x')], why: undefined },
    { name: 'no AccountsReadable yet (a Strategy controller of an older version)', conditions: [noOfferings], why: undefined },
    { name: 'a verdict about an older generation', conditions: [noOfferings, cond('AccountsReadable', 'True', 'AllAccountsRead', '1 account read')], generation: 2, why: undefined },
  ])('$name', ({ conditions, generation, why }) => {
    const verdict = hopeless(pool(), strategy(conditions, generation ?? 1));
    if (why instanceof RegExp) expect(verdict).toMatch(why);
    else expect(verdict).toBe(why);
  });

  it('an invalid pool spec, whatever the Strategy says', () => {
    expect(hopeless(pool([cond('InvalidSpec', 'True', 'UnsupportedLevel', 'PlacementRule default/r: failureDomains[1] "rack" is not a supported level')]), undefined)).toBe(
      'its spec is invalid: PlacementRule default/r: failureDomains[1] "rack" is not a supported level',
    );
    expect(hopeless(pool([cond('InvalidSpec', 'False', 'SpecValid', 'the spec is valid')]), undefined)).toBeUndefined();
  });
});
