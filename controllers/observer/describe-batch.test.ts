import { describe, expect, it } from '@jest/globals';
import { ThrottledError, type Instance, type Provider } from '../../providers/index.js';
import { deferred, type Deferred } from '../../runtime/testing/async.js';
import { DescribeBatch } from './describe-batch.js';

/** A provider whose describe answers when the test says, recording the ids of each call. */
function cloud() {
  const calls: string[][] = [];
  const answers: Deferred<Instance[]>[] = [];
  const provider = {
    describe: (_region: string, ids: readonly string[]) => {
      calls.push([...ids]);
      const answer = deferred<Instance[]>();
      answers.push(answer);
      return answer.promise;
    },
  } as unknown as Provider;
  return { provider, calls, answers };
}

function instance(id: string): Instance {
  return { id, account: 'a', region: 'r1', zone: 'r1a', instanceType: 't', state: 'pending', addresses: [], tags: {}, createdAt: '2026-01-01T00:00:00Z', hourlyPrice: '0.01' };
}

async function turn(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('DescribeBatch', () => {
  it('answers the lookups of one turn with one describe, and those made while it runs with the next one', async () => {
    const { provider, calls, answers } = cloud();
    const batch = new DescribeBatch(provider, 'r1');
    const first = Array.from({ length: 2_000 }, (_, n) => batch.lookup(`i-${n}`));
    await turn();
    expect(calls.map((c) => c.length)).toEqual([2_000]);
    const late = [batch.lookup('i-late'), batch.lookup('i-late')];
    answers[0]?.resolve([instance('i-0'), instance('i-7')]);
    const seen = await Promise.all(first);
    expect(seen.filter((i) => i !== undefined).map((i) => i.id)).toEqual(['i-0', 'i-7']);
    await turn();
    expect(calls[1]).toEqual(['i-late']);
    answers[1]?.resolve([instance('i-late')]);
    expect((await Promise.all(late)).map((i) => i?.id)).toEqual(['i-late', 'i-late']);
  });

  it('a failed describe rejects every lookup of its batch, and the next lookup asks again', async () => {
    const { provider, calls, answers } = cloud();
    const batch = new DescribeBatch(provider, 'r1');
    const lookups = [batch.lookup('i-1'), batch.lookup('i-2')];
    await turn();
    answers[0]?.reject(new ThrottledError('slow down', 'a', 4_000));
    for (const lookup of lookups) await expect(lookup).rejects.toBeInstanceOf(ThrottledError);
    const again = batch.lookup('i-1');
    await turn();
    answers[1]?.resolve([]);
    expect(await again).toBeUndefined();
    expect(calls).toEqual([['i-1', 'i-2'], ['i-1']]);
  });
});
