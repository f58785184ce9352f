// RBAC as the API server evaluates it, for the chart's rendered Roles and bindings, and the audit
// log's requests: what a ServiceAccount is granted, which requests that grants, which grants no
// request used.
import { readFileSync } from 'node:fs';
import type { KubeObject } from './helm.js';

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/** One (group, resource, subresource, verb) a role grants, where, and to which names if only some. */
export interface Grant {
  /** `ClusterRole/NAME` or `Role/NAME`, as bound. */
  readonly role: string;
  /** A namespace, or `*` (a ClusterRoleBinding). */
  readonly scope: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly verb: string;
  readonly resourceNames: readonly string[] | undefined;
}

/** What the audit log says one request was. */
export interface AuditedRequest {
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly verb: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly code: number | undefined;
  readonly uri: string;
}

interface Subject { kind: string; name: string; namespace?: string }
interface Binding extends KubeObject { roleRef: { kind: string; name: string }; subjects?: Subject[] }
interface RoleObject extends KubeObject { rules?: PolicyRule[] }

/** Every (group, resource, subresource, verb) granted to the ServiceAccount by the rendered objects' bindings. */
export function grantsTo(objects: readonly KubeObject[], serviceAccount: { namespace: string; name: string }): Grant[] {
  const roles = objects.filter((o): o is RoleObject => o.kind === 'Role' || o.kind === 'ClusterRole');
  const bindings = objects.filter((o): o is Binding => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
  const grants: Grant[] = [];
  for (const binding of bindings) {
    const bound = (binding.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount.name && s.namespace === serviceAccount.namespace);
    if (!bound) continue;
    const scope = binding.kind === 'ClusterRoleBinding' ? '*' : (binding.metadata.namespace ?? '');
    const role = roles.find((r) => r.kind === binding.roleRef.kind && r.metadata.name === binding.roleRef.name && (r.kind === 'ClusterRole' || r.metadata.namespace === binding.metadata.namespace));
    if (role === undefined) throw new Error(`${binding.kind} ${binding.metadata.name} binds ${binding.roleRef.kind} ${binding.roleRef.name}, which the chart does not render`);
    for (const rule of role.rules ?? []) {
      for (const group of rule.apiGroups ?? []) {
        for (const resourcePath of rule.resources ?? []) {
          const [resource = '', subresource = ''] = resourcePath.split('/');
          for (const verb of rule.verbs) grants.push({ role: `${role.kind}/${role.metadata.name}`, scope, group, resource, subresource, verb, resourceNames: rule.resourceNames });
        }
      }
    }
  }
  return grants;
}

/** Rules using `*` anywhere, or non-resource URLs, in the roles bound to anyone. */
export function wildcardRules(objects: readonly KubeObject[]): string[] {
  return objects
    .filter((o): o is RoleObject => o.kind === 'Role' || o.kind === 'ClusterRole')
    .flatMap((role) => (role.rules ?? []).map((rule) => ({ role, rule })))
    .filter(({ rule }) => [rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames].some((list) => list?.includes('*')) || rule.nonResourceURLs !== undefined)
    .map(({ role, rule }) => `${role.kind}/${role.metadata.name}: ${JSON.stringify(rule)}`);
}

/** The name RBAC authorizes a request by: none for a create (the object does not exist yet) or a collection. */
function authorizedName(request: AuditedRequest): string {
  if (request.verb === 'create' || request.verb === 'list' || request.verb === 'watch' || request.verb === 'deletecollection') return '';
  return request.name ?? '';
}

export function grantAllows(grant: Grant, request: AuditedRequest): boolean {
  if (grant.group !== request.group || grant.resource !== request.resource || grant.subresource !== request.subresource || grant.verb !== request.verb) return false;
  if (grant.scope !== '*' && grant.scope !== request.namespace) return false;
  return grant.resourceNames === undefined || grant.resourceNames.includes(authorizedName(request));
}

/**
 * The requests `user` made, from an audit log (JSON lines of audit.k8s.io/v1 Events): one per
 * auditID, with the code of its last stage (a watch still open has only its ResponseStarted).
 */
export function auditedRequests(auditLogPath: string, user: string): AuditedRequest[] {
  const requests = new Map<string, AuditedRequest>();
  for (const line of readFileSync(auditLogPath, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const event = JSON.parse(line) as {
      auditID: string;
      stage: string;
      verb: string;
      requestURI: string;
      user?: { username?: string };
      objectRef?: { apiGroup?: string; resource?: string; subresource?: string; namespace?: string; name?: string };
      responseStatus?: { code?: number };
    };
    if (event.user?.username !== user || (event.stage !== 'ResponseComplete' && event.stage !== 'ResponseStarted' && event.stage !== 'Panic')) continue;
    if (event.stage === 'ResponseStarted' && requests.has(event.auditID)) continue;
    const ref = event.objectRef;
    requests.set(event.auditID, {
      group: ref?.apiGroup ?? '',
      resource: ref?.resource ?? '',
      subresource: ref?.subresource ?? '',
      verb: event.verb,
      namespace: ref?.namespace,
      name: ref?.name,
      code: event.responseStatus?.code,
      uri: event.requestURI,
    });
  }
  return [...requests.values()];
}

/** `group/resource[/subresource] verb`, the pair the issue's comparison is made of. */
export const pairOf = (x: { group: string; resource: string; subresource: string; verb: string }): string =>
  `${x.group === '' ? 'core' : x.group}/${x.resource}${x.subresource === '' ? '' : `/${x.subresource}`} ${x.verb}`;

/** A grant as one line: its role, pair and names (scope left out: the same Role in several namespaces is one rule). */
export const grantKey = (g: Grant): string => `${g.role}: ${pairOf(g)}${g.resourceNames === undefined ? '' : ` [${g.resourceNames.join(',')}]`}`;

export interface RbacComparison {
  /** Requests no grant allows, or that the API server refused: what the chart lacks. */
  readonly missing: string[];
  /** Grants no request used, in any namespace they apply to: what the chart has too much of. */
  readonly extra: string[];
  /** Requests to non-resource URLs (no objectRef). */
  readonly nonResource: string[];
  readonly usedPairs: string[];
  readonly grantedPairs: string[];
}

export function compareRbac(grants: readonly Grant[], requests: readonly AuditedRequest[]): RbacComparison {
  const resourceRequests = requests.filter((r) => r.resource !== '');
  const describe = (r: AuditedRequest): string => `${pairOf(r)} ${r.namespace ?? '(cluster)'}/${r.name ?? ''} → ${String(r.code)} (${r.uri})`;
  const missing = resourceRequests.filter((r) => r.code === 403 || !grants.some((g) => grantAllows(g, r))).map(describe);
  const used = new Set(grants.filter((g) => resourceRequests.some((r) => grantAllows(g, r))).map(grantKey));
  const extra = [...new Set(grants.map(grantKey))].filter((k) => !used.has(k));
  return {
    missing: [...new Set(missing)].sort(),
    extra: extra.sort(),
    nonResource: [...new Set(requests.filter((r) => r.resource === '').map((r) => `${r.verb} ${r.uri}`))].sort(),
    usedPairs: [...new Set(resourceRequests.map(pairOf))].sort(),
    grantedPairs: [...new Set(grants.map(pairOf))].sort(),
  };
}
