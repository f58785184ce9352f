import { z } from 'zod';
import { AnsibleInventoryList, GroupList, HostDetail, HostPage, InventoryHostFacts, ProblemDetails, RegionList, TenantList } from '../../api/index.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './query.js';

type Json = { [key: string]: unknown };

const SCHEMAS = { ProblemDetails, TenantList, RegionList, HostPage, HostDetail, GroupList, AnsibleList: AnsibleInventoryList, HostFacts: InventoryHostFacts } as const;
const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

/** The schemas of the responses, from the same zod schemas the server checks its answers against. */
function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'output', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _schema, $id: _id, ...rest } = s as Json;
      return [id, rest];
    }),
  );
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('ProblemDetails') } } });
const ERRORS = {
  '400': problem('A query parameter is not valid; detail names it.'),
  '401': problem('No token, or one that is not accepted.'),
  '403': problem('The caller may not read this tenant (list machines.polyfleet.io in its namespace), or get a Secret asked for.'),
};
const json = (name: keyof typeof SCHEMAS, description: string) => ({ '200': { description, content: { 'application/json': { schema: ref(name) } } } });

const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string', pattern: '^[^/]+$' } });
const query = (name: string, description: string, schema: Json = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const TENANT = pathParam('tenant', 'The tenant: a namespace.');
const FILTERS = [
  query('region', 'Only hosts in this region.'),
  query('group', 'Only hosts in this group, directly or through a subgroup.'),
  { ...query('label', 'Only hosts whose Machine has this label, KEY=VALUE; repeatable, all must hold.', { type: 'array', items: { type: 'string', pattern: '^[^=]+=.*$' } }), style: 'form', explode: true },
  { ...query('var', 'Only hosts with this variable as resolved, KEY=VALUE (a value that is not a string compared as JSON); repeatable.', { type: 'array', items: { type: 'string', pattern: '^[^=]+=.*$' } }), style: 'form', explode: true },
];
const SECRETS = query('secrets', 'true: add secrets/<path> for every HostGroup secret of the bundle\'s hosts; all or nothing (403 naming any Secret the caller may not get).', { type: 'string', enum: ['true', 'false'] });

function bundle(kind: 'tgz' | 'zip', perRegion: boolean): Json {
  return {
    get: {
      operationId: `bundle${perRegion ? 'Region' : 'Tenant'}${kind === 'tgz' ? 'Tgz' : 'Zip'}`,
      summary: `A bundle (${kind === 'tgz' ? 'gzipped tarball' : 'zip'}): inventory.yml, group_vars/, host_vars/ and, with secrets=true, secrets/.`,
      security: [{ bearer: [] }],
      parameters: [TENANT, ...(perRegion ? [pathParam('regionId', 'A region id from /v1/regions/{tenant}.')] : []), ...FILTERS, SECRETS],
      responses: {
        '200': { description: 'The bundle, streamed.', content: { [kind === 'tgz' ? 'application/gzip' : 'application/zip']: { schema: { type: 'string', contentMediaType: kind === 'tgz' ? 'application/gzip' : 'application/zip' } } } },
        ...ERRORS,
        ...(perRegion ? { '404': problem('The tenant has no hosts in that region.') } : {}),
        '409': problem('secrets=true, and a Secret cannot be used (missing, not of type polyfleet.io/credentials, or no Secrets here).'),
      },
    },
  };
}

/** OpenAPI 3.1 of the inventory API. */
export function inventoryOpenApi(): Json {
  const get = (operationId: string, summary: string, parameters: Json[], responses: Json) => ({ get: { operationId, summary, security: [{ bearer: [] }], parameters, responses: { ...responses, ...ERRORS } } });
  return {
    openapi: '3.1.0',
    info: { title: 'polyfleet inventory', version: 'v1', description: 'The fleet as an inventory: hosts, groups, variables with blame, Ansible inventories and bundles. Read-only.' },
    components: { schemas: componentSchemas(), securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'In a cluster a Kubernetes token (TokenReview, then RBAC via SubjectAccessReview); standalone the token of --inventory-token-file.' } } },
    paths: {
      '/v1/tenants': get('listTenants', 'The tenants (namespaces) the caller may read, with their host counts.', [], json('TenantList', 'Tenants.')),
      '/v1/regions/{tenant}': get('listRegions', 'The tenant\'s regions, each with a stable URL-safe id.', [TENANT], json('RegionList', 'Regions.')),
      '/v1/hosts': get(
        'listHosts',
        'Hosts of every tenant the caller may read (or of one), a page at a time.',
        [
          query('tenant', 'Only this tenant.'),
          ...FILTERS,
          query('limit', `At most this many hosts (default ${DEFAULT_LIMIT}).`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT }),
          query('continue', 'The continue of the previous page.'),
        ],
        json('HostPage', 'A page of hosts.'),
      ),
      '/v1/hosts/{tenant}/{name}': get(
        'getHost',
        'One host: its groups, facts and variables as Ansible resolves them; with blame=true where each came from.',
        [TENANT, pathParam('name', 'The host (Machine) name.'), query('blame', 'Add each variable\'s source and what it overrode.', { type: 'string', enum: ['true', 'false'] })],
        { ...json('HostDetail', 'The host.'), '404': problem('No such host in the tenant.') },
      ),
      '/v1/groups/{tenant}': get('listGroups', 'The tenant\'s groups with their hosts, children and own variables.', [TENANT], json('GroupList', 'Groups.')),
      '/v1/ansible/{tenant}': get('ansibleList', 'Ansible\'s dynamic-inventory --list JSON.', [TENANT, ...FILTERS], json('AnsibleList', 'The --list JSON.')),
      '/v1/inventory/{tenant}.tgz': bundle('tgz', false),
      '/v1/inventory/{tenant}.zip': bundle('zip', false),
      '/v1/inventory/{tenant}/{regionId}.tgz': bundle('tgz', true),
      '/v1/inventory/{tenant}/{regionId}.zip': bundle('zip', true),
      '/v1/openapi.json': { get: { operationId: 'openapi', summary: 'This document (no token needed).', security: [], responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    },
  };
}
