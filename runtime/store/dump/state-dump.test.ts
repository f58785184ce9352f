import { describe, expect, it } from '@jest/globals';
import { testNodePool, testStrategy } from '../../testing/objects.js';
import type { StoredEvent } from '../../events/types.js';
import { DumpError } from './dump-errors.js';
import { makeDump, parseDump, renderDump } from './state-dump.js';

const strategy = { ...testStrategy('default', 'cheap'), metadata: { ...testStrategy('default', 'cheap').metadata, uid: 'u-1', resourceVersion: '7', finalizers: ['polyfleet.io/x'] } };
const pool = { ...testNodePool('default', 'workers', 'cheap'), metadata: { ...testNodePool('default', 'workers', 'cheap').metadata, uid: 'u-2', resourceVersion: '9' } };

const event: StoredEvent = {
  regarding: { kind: 'NodePool', namespace: 'default', name: 'workers', uid: 'u-2' },
  type: 'Warning',
  reason: 'BudgetExceeded',
  action: 'Create',
  message: 'a node would break maxHourlyTotal',
  count: 3,
  firstTimestamp: '2026-01-01T00:00:00.000Z',
  lastTimestamp: '2026-01-01T00:05:00.000Z',
};

describe('the state dump', () => {
  it('round-trips objects as they are, without resourceVersions, with the installation id', async () => {
    const text = await renderDump(makeDump('pf-0123456789ab', [strategy, pool], [event], 'state s.jsonl', new Date(0)));
    const parsed = await parseDump(text, 'dump.yaml');
    expect(parsed.installationId).toBe('pf-0123456789ab');
    expect(parsed.objects.map((o) => [o.kind, o.metadata.uid, o.metadata.resourceVersion, o.metadata.finalizers])).toEqual([
      ['NodePool', 'u-2', undefined, undefined],
      ['Strategy', 'u-1', undefined, ['polyfleet.io/x']],
    ]);
    expect(parsed.events).toEqual([event]);
  });

  it('reads a dump without events (exported before they were) as one with none', async () => {
    const parsed = await parseDump('format: polyfleet-state-dump\nversion: 1\ninstallationId: pf-1\nobjects: []\n', 'old.yaml');
    expect(parsed.events).toEqual([]);
  });

  it.each([
    { name: 'not a dump', text: 'kind: NodePool\n', says: 'dump.yaml: format:' },
    { name: 'a bad installation id', text: 'format: polyfleet-state-dump\nversion: 1\ninstallationId: PF_1\nobjects: []\n', says: 'dump.yaml: installationId: must be a DNS label' },
    { name: 'an object without uid', text: 'format: polyfleet-state-dump\nversion: 1\ninstallationId: pf-1\nobjects:\n- {kind: NodePool, metadata: {name: a}}\n', says: 'dump.yaml: objects.0.metadata.uid' },
    { name: 'an unknown kind', text: 'format: polyfleet-state-dump\nversion: 1\ninstallationId: pf-1\nobjects:\n- {kind: Pod, metadata: {name: a, uid: u}}\n', says: 'dump.yaml: objects.0.kind: unknown kind "Pod"' },
    { name: 'an empty file', text: '', says: 'dump.yaml: empty' },
    { name: 'an event of an unknown kind', text: 'format: polyfleet-state-dump\nversion: 1\ninstallationId: pf-1\nobjects: []\nevents:\n- {regarding: {kind: Pod, namespace: d, name: a}, type: Normal, reason: R, action: A, message: m, count: 1, firstTimestamp: "2026-01-01T00:00:00Z", lastTimestamp: "2026-01-01T00:00:00Z"}\n', says: 'dump.yaml: events.0.regarding.kind' },
  ])('refuses $name, naming the field', async ({ text, says }) => {
    const failure = await parseDump(text, 'dump.yaml').then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(DumpError);
    expect((failure as Error).message).toContain(says);
  });

  it('refuses an object twice, or two objects with one uid', async () => {
    const twice = makeDump('pf-1', [pool, { ...pool, metadata: { ...pool.metadata, name: 'other' } }], [], 's', new Date(0));
    await expect(parseDump(await renderDump(twice), 'd.yaml')).rejects.toThrow('d.yaml: objects.1: NodePool default/workers has the uid u-2 of another object');
  });
});
