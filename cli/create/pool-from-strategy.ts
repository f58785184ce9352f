import { API_VERSION, describeIssues, parseKind, type NodePool, type Strategy } from '../../api/index.js';
import { UsageError } from '../shared/command-runner.js';
import { ManifestError, type Manifest } from '../shared/manifests.js';

export interface OneShotRequest {
  readonly replicas: number;
  /** An account of the Strategy to try first. */
  readonly provider?: string;
  /** The image to boot: for `provider` if given, else for every account. */
  readonly image?: string;
}

/** The one Strategy of a strategy file; anything else in it is a mistake worth naming. */
export function strategyOf(file: string, manifests: readonly Manifest[]): Strategy {
  const strategies = manifests.flatMap((m) => (m.object.kind === 'Strategy' ? [m.object] : []));
  const others = manifests.filter((m) => m.object.kind !== 'Strategy');
  const strategy = strategies[0];
  if (strategy === undefined || strategies.length > 1 || others.length > 0) {
    throw new ManifestError(`${file}: a strategy file holds exactly one Strategy; found ${manifests.map((m) => `${m.object.kind} "${m.object.metadata.name}"`).join(', ') || 'nothing'}`);
  }
  return strategy;
}

/**
 * The Strategy with --provider moved to the front (and pick "first", so it really is tried first:
 * the next account is used only when it cannot serve) and --image set in software.images.
 */
export function withPreferences(strategy: Strategy, request: OneShotRequest, file: string): Strategy {
  const spec = structuredClone(strategy.spec);
  if (request.provider !== undefined) {
    const chosen = spec.providers.find((p) => p.name === request.provider);
    if (chosen === undefined) {
      throw new UsageError(`--provider "${request.provider}" is not an account of Strategy "${strategy.metadata.name}" in ${file} (accounts: ${spec.providers.map((p) => p.name).join(', ')})`);
    }
    spec.providers = [chosen, ...spec.providers.filter((p) => p !== chosen)];
    spec.pick = 'first';
  }
  const image = request.image;
  if (image !== undefined) {
    const accounts = request.provider === undefined ? spec.providers.map((p) => p.name) : [request.provider];
    spec.software = { ...spec.software, images: { ...spec.software.images, ...Object.fromEntries(accounts.map((a) => [a, image])) } };
  }
  return { ...strategy, spec };
}

/** The pool named after the Strategy: a new one with N replicas, or the existing one scaled to N. */
export function poolFor(strategy: Strategy, replicas: number, existing: NodePool | undefined): NodePool {
  if (existing !== undefined) return { ...existing, spec: { ...existing.spec, replicas, strategyRef: { name: strategy.metadata.name } } };
  const metadata = { name: strategy.metadata.name, ...(strategy.metadata.namespace === undefined ? {} : { namespace: strategy.metadata.namespace }) };
  // Through the schema, so the pool gets the API's defaults rather than a copy of them.
  const parsed = parseKind('NodePool', { apiVersion: API_VERSION, kind: 'NodePool', metadata, spec: { replicas, strategyRef: { name: strategy.metadata.name } } });
  if (!parsed.ok) throw new UsageError(`cannot make a pool of Strategy "${strategy.metadata.name}": ${describeIssues(parsed.issues)}`);
  return parsed.value;
}
