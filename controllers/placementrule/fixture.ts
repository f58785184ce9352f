import { API_VERSION, describeIssues, parseResource } from '../../api/index.js';
import type { PlacementRule } from '../../api/index.js';
import type { Result } from '../../runtime/controller/index.js';
import { FIXTURE_NAMESPACE, fileWorldFixture } from '../shared/file-world-fixture.js';
import { reconcilePlacementRule } from './controller.js';

export const NS = FIXTURE_NAMESPACE;
export type { RecordedEvent } from '../shared/file-world-fixture.js';

/** The shared file-store world, plus helpers for rules and the pools and Strategies that use them. */
export async function placementRuleFixture() {
  const world = await fileWorldFixture('placementrule');
  const { store, deps, ctx } = world;

  /** Creates the object, or replaces its spec. */
  async function apply(kind: 'Strategy' | 'PlacementRule' | 'NodePool', name: string, spec: Record<string, unknown>): Promise<void> {
    const parsed = parseResource({ apiVersion: API_VERSION, kind, metadata: { name, namespace: NS }, spec });
    if (!parsed.ok) throw new Error(`test ${kind} is invalid:\n${describeIssues(parsed.issues)}`);
    const object = parsed.value;
    const existing = await store.get(object.kind, { namespace: NS, name });
    if (existing === undefined) await store.create(object);
    else await store.update({ ...object, metadata: existing.metadata });
  }

  return {
    ...world,
    apply,
    pool: (name: string, strategy: string, rule: string) => apply('NodePool', name, { replicas: 3, strategyRef: { name: strategy }, placementRuleRef: { name: rule } }),
    reconcile: (name: string): Promise<Result> => reconcilePlacementRule(deps, ctx, { namespace: NS, name }),
    async mustGet(name: string): Promise<PlacementRule> {
      const r = await store.get('PlacementRule', { namespace: NS, name });
      if (r === undefined) throw new Error(`PlacementRule ${name} does not exist`);
      return r;
    },
  };
}
