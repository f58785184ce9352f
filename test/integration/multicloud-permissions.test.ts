// The least permissions the README hands users are the ones the adapters need: the AWS IAM policy
// in docs/ allows exactly the EC2 and Price List calls providers/aws makes (plus CreateTags, which RunInstances'
// TagSpecifications require), nothing else, with creates and terminates fenced by our tags; the
// Google Cloud custom role holds exactly the permissions of the Compute Engine methods providers/gcp
// calls; the DigitalOcean token scopes in the README are those of the API calls providers/digitalocean
// makes. Read from the adapters' source, so a new SDK call without a policy line fails here, not in
// a user's account.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TAG_MANAGED_BY } from '../../providers/types.js';
import { repoRoot } from './kubectl.js';

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

const policy = JSON.parse(readFileSync(join(repoRoot, 'docs/aws-iam-policy.json'), 'utf8')) as { Version: string; Statement: PolicyStatement[] };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Source files of a folder and its subfolders, tests excluded. */
function sources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

/** IAM actions the adapter calls: every `XCommand` it imports from @aws-sdk/client-ec2 (ec2:X) and client-pricing (pricing:X). */
function awsAdapterActions(): Set<string> {
  const actions = new Set<string>();
  for (const text of sources('providers/aws')) {
    for (const [, names = '', client = ''] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-(ec2|pricing)'/g)) {
      for (const [, command] of names.matchAll(/\b(\w+)Command\b/g)) if (command !== undefined) actions.add(`${client}:${command}`);
    }
  }
  return actions;
}

describe('docs/aws-iam-policy.json', () => {
  const statements = policy.Statement;
  const actions = new Set(statements.flatMap((s) => list(s.Action)));

  it('is an IAM policy document of Allow statements, each with an alphanumeric Sid', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const s of statements) {
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(s.Effect).toBe('Allow');
      expect(list(s.Resource).length).toBeGreaterThan(0);
    }
  });

  it('allows exactly the EC2 and Price List calls providers/aws makes, and CreateTags for its TagSpecifications', () => {
    const called = awsAdapterActions();
    expect(called.size).toBeGreaterThan(0);
    expect([...actions].sort()).toEqual([...called, 'ec2:CreateTags'].sort());
  });

  it('tags only while running instances, and runs and terminates only instances carrying the managed-by tag', () => {
    const by = (action: string) => statements.filter((s) => list(s.Action).includes(action));
    for (const s of by('ec2:CreateTags')) expect(s.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'RunInstances' } });
    for (const s of by('ec2:TerminateInstances')) expect(s.Condition).toEqual({ StringLike: { [`aws:ResourceTag/${TAG_MANAGED_BY}`]: '*' } });
    const onInstances = by('ec2:RunInstances').filter((s) => list(s.Resource).some((r) => r.includes(':instance/')));
    expect(onInstances.map((s) => s.Condition)).toEqual([{ StringLike: { [`aws:RequestTag/${TAG_MANAGED_BY}`]: '*' } }]);
  });
});

/**
 * The IAM permissions of each Compute Engine method, from its REST reference ("IAM Permissions",
 * including those of the fields the adapter sets: an instance's boot disk from an image, labels,
 * metadata, and a network interface with an external address on the default network).
 */
const GCE_METHOD_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  'regions.list': ['compute.regions.list'],
  'zones.list': ['compute.zones.list'],
  'machineTypes.list': ['compute.machineTypes.list'],
  'images.getFromFamily': ['compute.images.getFromFamily'],
  'instances.insert': [
    'compute.instances.create',
    'compute.instances.setLabels',
    'compute.instances.setMetadata',
    'compute.disks.create',
    'compute.images.useReadOnly',
    'compute.networks.use',
    'compute.networks.useExternalIp',
    'compute.subnetworks.use',
    'compute.subnetworks.useExternalIp',
  ],
  'operations.wait': ['compute.zoneOperations.get'],
  'operations.get': ['compute.zoneOperations.get'],
  // zoneOperations.list of compute.instances.preempted operations: which Spot VMs were preempted.
  'operations.list': ['compute.zoneOperations.list'],
  'instances.get': ['compute.instances.get'],
  'instances.list': ['compute.instances.list'],
  'instances.aggregatedList': ['compute.instances.list'],
  'instances.delete': ['compute.instances.delete'],
  // services.skus.list of the Cloud Billing Catalog API (prices): public prices, no IAM permission;
  // the Cloud Billing API must be enabled in the project the credentials belong to.
  'catalog.listSkus': [],
};

/** Compute Engine methods the adapter calls, as `client.method` (`clients.instances.insert(…)`, `…listAsync(…)`). */
function gcpAdapterMethods(): Set<string> {
  const methods = new Set<string>();
  for (const text of sources('providers/gcp')) {
    for (const [, client, method] of text.matchAll(/\bclients\.(\w+)\.(\w+?)(?:Async)?\(/g)) methods.add(`${client}.${method}`);
  }
  return methods;
}

describe('docs/gcp-custom-role.yaml', () => {
  const role = parse(readFileSync(join(repoRoot, 'docs/gcp-custom-role.yaml'), 'utf8')) as { title: string; stage: string; includedPermissions: string[] };

  it('holds exactly the permissions of the Compute Engine methods providers/gcp calls', () => {
    const called = [...gcpAdapterMethods()];
    expect(called.length).toBeGreaterThan(0);
    // A method missing here needs its permissions from its REST reference, here and in the role.
    expect({ methodsWithoutPermissions: called.filter((m) => GCE_METHOD_PERMISSIONS[m] === undefined) }).toEqual({ methodsWithoutPermissions: [] });
    const needed = new Set(called.flatMap((m) => GCE_METHOD_PERMISSIONS[m] ?? []));
    expect([...role.includedPermissions].sort()).toEqual([...needed].sort());
    expect(role).toMatchObject({ title: 'polyfleet', stage: 'GA' });
  });
});

/**
 * The token scopes each dots-wrapper call needs, from DigitalOcean's scope reference: droplet:create
 * requires the read scopes of what a droplet is made from (and actions:read), and tagging it as it
 * is created needs tag:create; listing by tag_name reads tags.
 */
const DO_CALL_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'region.listRegions': ['regions:read'],
  'size.listSizes': ['sizes:read'],
  'image.getImage': ['image:read'],
  'droplet.createDroplet': ['droplet:create', 'tag:create', 'droplet:read', 'regions:read', 'sizes:read', 'image:read', 'actions:read'],
  'droplet.getDroplet': ['droplet:read'],
  'droplet.listDroplets': ['droplet:read', 'tag:read'],
  'droplet.deleteDroplet': ['droplet:delete'],
};

/** dots-wrapper calls the adapter makes, as `resource.method` (`c.droplet.createDroplet(…)`). */
function digitalOceanAdapterCalls(): Set<string> {
  const calls = new Set<string>();
  for (const text of sources('providers/digitalocean')) {
    for (const [, resource, method] of text.matchAll(/\.(region|size|image|droplet|tag|action)\.(\w+)\(/g)) calls.add(`${resource}.${method}`);
  }
  return calls;
}

describe('README, DigitalOcean token scopes', () => {
  it('lists exactly the scopes of the API calls providers/digitalocean makes', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = /^### DigitalOcean$([\s\S]*?)^###? /m.exec(readme)?.[1] ?? '';
    const listed = new Set([...section.matchAll(/`([a-z_]+:[a-z_]+)`/g)].map(([, scope]) => scope));
    const called = [...digitalOceanAdapterCalls()];
    expect(called.length).toBeGreaterThan(0);
    // A call missing here needs its scopes from DigitalOcean's scope reference, here and in the README.
    expect({ callsWithoutScopes: called.filter((c) => DO_CALL_SCOPES[c] === undefined) }).toEqual({ callsWithoutScopes: [] });
    expect([...listed].sort()).toEqual([...new Set(called.flatMap((c) => DO_CALL_SCOPES[c] ?? []))].sort());
  });
});
