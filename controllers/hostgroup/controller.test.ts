import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { HostGroup, Machine } from '../../api/index.js';
import { FIXTURE_NAMESPACE as NS, fileWorldFixture } from '../shared/file-world-fixture.js';
import { reconcileHostGroup } from './controller.js';
import { hostGroupController } from './registration.js';

type World = Awaited<ReturnType<typeof fileWorldFixture>>;

function machine(name: string, labels: Record<string, string>): Machine {
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: { name, namespace: NS, labels },
    spec: { pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot: 0, failureDomain: 'sim-a/r1/r1a' },
  };
}

describe('HostGroup controller', () => {
  let w: World;
  beforeEach(async () => {
    w = await fileWorldFixture('hostgroup');
    await w.store.create(machine('m1', { role: 'web' }));
    await w.store.create(machine('m2', { role: 'db' }));
  });
  afterEach(async () => w.close());

  async function apply(name: string, spec: Record<string, unknown>): Promise<void> {
    const parsed = parseKind('HostGroup', { apiVersion: API_VERSION, kind: 'HostGroup', metadata: { name, namespace: NS }, spec });
    if (!parsed.ok) throw new Error(describeIssues(parsed.issues));
    await w.store.create(parsed.value);
  }
  const reconcile = (name: string) => reconcileHostGroup(w.deps, w.ctx, { namespace: NS, name });
  async function status(name: string): Promise<NonNullable<HostGroup['status']>> {
    const g = await w.store.get('HostGroup', { namespace: NS, name });
    if (g?.status === undefined) throw new Error(`HostGroup ${name} has no status`);
    return g.status;
  }
  const condition = async (name: string, type: string) => (await status(name)).conditions?.find((c) => c.type === type);

  it('reports the hosts matched, its subgroups\' included, and is Ready', async () => {
    await apply('all-web', { selector: { matchLabels: { role: 'web' } }, children: ['dbs'] });
    await apply('dbs', { hosts: ['m2'] });
    await reconcile('all-web');
    expect(await status('all-web')).toMatchObject({ hostCount: 2, hosts: ['m1', 'm2'], observedGeneration: 1 });
    expect(await condition('all-web', 'Ready')).toMatchObject({ status: 'True', reason: 'HostsMatched' });
    expect(await condition('all-web', 'InvalidSpec')).toMatchObject({ status: 'False' });
  });

  it('says InvalidSpec for a cycle in children, naming it', async () => {
    await apply('a', { children: ['b'] });
    await apply('b', { children: ['a'] });
    await reconcile('a');
    expect(await condition('a', 'InvalidSpec')).toMatchObject({ status: 'True', reason: 'ChildrenCycle', message: 'children form a cycle: a → b → a; those subgroups are left out' });
    expect(await condition('a', 'Ready')).toMatchObject({ status: 'False', reason: 'ChildrenCycle' });
  });

  it('says ReferenceNotFound naming a missing child and a missing Machine', async () => {
    await apply('p', { children: ['ghost'], hosts: ['m1', 'gone'] });
    await reconcile('p');
    expect(await condition('p', 'ReferenceNotFound')).toMatchObject({ status: 'True', reason: 'ReferenceNotFound', message: 'not found: HostGroup "ghost", Machine "gone"' });
    expect((await status('p')).hosts).toEqual(['m1']);
  });

  it('writes nothing when nothing changed, even after time passed', async () => {
    await apply('web', { selector: { matchLabels: { role: 'web' } } });
    await reconcile('web');
    const before = await w.store.get('HostGroup', { namespace: NS, name: 'web' });
    w.clock.advance(60_000);
    await reconcile('web');
    const after = await w.store.get('HostGroup', { namespace: NS, name: 'web' });
    expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('reconciles every group of the namespace when a Machine changes', async () => {
    await apply('x', {});
    await apply('y', {});
    const watch = hostGroupController(w.deps).watches?.find((x) => x.kind === 'Machine');
    const m = await w.store.get('Machine', { namespace: NS, name: 'm1' });
    if (watch === undefined || m === undefined) throw new Error('no Machine watch');
    expect((await watch.map(m)).map((k) => k.name).sort()).toEqual(['x', 'y']);
  });
});
