import { z } from 'zod';

/**
 * The responses of the inventory REST API (/v1/…). The server checks what it sends against these
 * and /v1/openapi.json is generated from them, so the document and the answers cannot drift apart.
 */

/** RFC 9457 problem details, the body of every error (application/problem+json). */
export const ProblemDetails = z
  .strictObject({
    type: z.string().describe('A URI naming the kind of problem; about:blank for a plain HTTP status.'),
    title: z.string().describe('The HTTP status, in words.'),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('What went wrong with this request, and what to do about it.'),
    instance: z.string().optional().describe('The request path.'),
  })
  .meta({ id: 'ProblemDetails', description: 'An error, as RFC 9457 problem details.' });
export type ProblemDetails = z.infer<typeof ProblemDetails>;

const Problems = z.array(z.string()).describe('What of the tenant\'s HostGroups could not be honoured (a cycle, a missing reference, a variable source not used), for a human.');

/** The facts polyfleet knows of a host, as Ansible host variables. */
export const InventoryHostFacts = z
  .strictObject({
    ansible_host: z.string().describe('The public address, else the private one.'),
    polyfleet_provider: z.string(),
    polyfleet_account: z.string(),
    polyfleet_region: z.string(),
    polyfleet_zone: z.string(),
    polyfleet_instance_type: z.string(),
    polyfleet_instance_id: z.string(),
    polyfleet_pool: z.string(),
    polyfleet_price_hourly: z.string().optional().describe('US dollars an hour, a decimal string; absent until the Machine reports it.'),
    polyfleet_labels: z.record(z.string(), z.string()),
  })
  .meta({ id: 'HostFacts' });
export type InventoryHostFacts = z.infer<typeof InventoryHostFacts>;

export const InventoryTenant = z.strictObject({
  name: z.string().describe('The namespace.'),
  hosts: z.number().int().min(0).describe('Machines with an instance and an address.'),
});

export const TenantList = z
  .strictObject({ tenants: z.array(InventoryTenant).describe('The tenants the caller may read, by name.') })
  .meta({ id: 'TenantList' });
export type TenantList = z.infer<typeof TenantList>;

/** A region id: the account and the region, URL-safe, stable while both names are. */
export const REGION_ID = /^[A-Za-z0-9_.-]+$/;

export const InventoryRegion = z.strictObject({
  id: z.string().regex(REGION_ID).describe('<account>.<region>, with any other character as "_": use it in /v1/inventory/{tenant}/{regionId}.tgz.'),
  account: z.string().describe('The provider account (a Strategy\'s providers[].name).'),
  provider: z.string().describe('The provider type (aws, gcp, …).'),
  region: z.string(),
  hosts: z.number().int().min(0),
});
export type InventoryRegion = z.infer<typeof InventoryRegion>;

export const RegionList = z.strictObject({ tenant: z.string(), regions: z.array(InventoryRegion), problems: Problems }).meta({ id: 'RegionList' });
export type RegionList = z.infer<typeof RegionList>;

export const HostSummary = z.strictObject({
  tenant: z.string(),
  name: z.string().describe('The Machine\'s name, the Ansible host name.'),
  groups: z.array(z.string()).describe('Every group the host is in, ancestors and all included.'),
  facts: InventoryHostFacts,
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostPage = z
  .strictObject({
    items: z.array(HostSummary).describe('Sorted by tenant, then name.'),
    continue: z.string().optional().describe('Pass as ?continue= (with the same filters) for the next page; absent on the last page.'),
  })
  .meta({ id: 'HostPage' });
export type HostPage = z.infer<typeof HostPage>;

export const VarSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('group'), group: z.string(), hostGroup: z.string().optional().describe('The HostGroup behind the group, if any.') }),
  z.strictObject({ kind: z.literal('host') }).describe('The host\'s own facts.'),
]);

export const VarBlame = z.strictObject({
  name: z.string(),
  value: z.unknown(),
  source: VarSource,
  overridden: z.array(z.strictObject({ source: VarSource, value: z.unknown() })).describe('What the value replaced, first overridden first.'),
});

export const HostDetail = z
  .strictObject({
    tenant: z.string(),
    name: z.string(),
    groups: z.array(z.string()),
    facts: InventoryHostFacts,
    vars: z.record(z.string(), z.unknown()).describe('Every variable as Ansible resolves it for the host.'),
    blame: z.array(VarBlame).optional().describe('With ?blame=true: each variable, where its value came from and what it overrode.'),
    problems: Problems,
  })
  .meta({ id: 'HostDetail' });
export type HostDetail = z.infer<typeof HostDetail>;

export const InventoryGroupView = z.strictObject({
  name: z.string().describe('Valid for Ansible.'),
  hosts: z.array(z.string()).describe('Hosts in the group itself, not through its children.'),
  children: z.array(z.string()),
  vars: z.record(z.string(), z.unknown()).describe('The group\'s own variables.'),
  priority: z.number().int().describe('ansible_group_priority.'),
  depth: z.number().int().min(0),
  hostGroup: z.string().optional().describe('The HostGroup behind the group, if any.'),
});

export const GroupList = z.strictObject({ tenant: z.string(), groups: z.array(InventoryGroupView), problems: Problems }).meta({ id: 'GroupList' });
export type GroupList = z.infer<typeof GroupList>;

export const AnsibleListGroup = z.strictObject({
  hosts: z.array(z.string()).optional(),
  children: z.array(z.string()).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
});

/** Ansible's dynamic-inventory `--list`: every group by name, and every host's own variables under _meta. */
export const AnsibleInventoryList = z
  .object({ _meta: z.strictObject({ hostvars: z.record(z.string(), InventoryHostFacts) }) })
  .catchall(AnsibleListGroup)
  .meta({ id: 'AnsibleList', description: 'What `polyfleet inventory --list` prints: Ansible\'s dynamic-inventory protocol.' });
export type AnsibleInventoryList = z.infer<typeof AnsibleInventoryList>;
