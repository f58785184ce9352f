import { API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { Strategy } from '../../api/index.js';
import type { Result } from '../../runtime/controller/index.js';
import { FIXTURE_NAMESPACE, fileWorldFixture } from '../shared/file-world-fixture.js';
import { reconcileStrategy } from './controller.js';

export const NS = FIXTURE_NAMESPACE;
export type { RecordedEvent } from '../shared/file-world-fixture.js';

/** The shared file-store world, plus Strategy helpers. */
export async function strategyFixture() {
  const world = await fileWorldFixture('strategy');
  const { store, deps, ctx } = world;
  return {
    ...world,
    /** Creates (or replaces the spec of) Strategy `name`. */
    async apply(name: string, spec: Record<string, unknown>): Promise<void> {
      const parsed = parseKind('Strategy', { apiVersion: API_VERSION, kind: 'Strategy', metadata: { name, namespace: NS }, spec });
      if (!parsed.ok) throw new Error(`test Strategy is invalid:\n${describeIssues(parsed.issues)}`);
      const existing = await store.get('Strategy', { namespace: NS, name });
      if (existing === undefined) await store.create({ ...parsed.value, kind: 'Strategy' });
      else await store.update({ ...existing, spec: parsed.value.spec });
    },
    reconcile: (name: string): Promise<Result> => reconcileStrategy(deps, ctx, { namespace: NS, name }),
    async mustGet(name: string): Promise<Strategy> {
      const s = await store.get('Strategy', { namespace: NS, name });
      if (s === undefined) throw new Error(`Strategy ${name} does not exist`);
      return s;
    },
  };
}
