import { z } from 'zod';
import { Conditions } from './condition.js';
import { API_VERSION } from './group.js';
import { ObjectMeta, ObjectName } from './meta.js';

/** A ConfigMap or Secret data key, as Kubernetes allows it. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

const dataKey = (what: string) =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(DATA_KEY, { message: 'must be a data key: letters, digits, "-", "_" and "."' })
    .describe(what);

/** metav1.LabelSelector, field for field, so it reads as every Kubernetes selector does. */
export const LabelSelectorRequirement = z
  .strictObject({
    key: z.string().min(1).max(317).describe('The label key the requirement applies to.'),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']).describe('In, NotIn, Exists or DoesNotExist.'),
    values: z.array(z.string().max(63)).max(256).optional().describe('Values for In and NotIn; empty for Exists and DoesNotExist.'),
  })
  .describe('One requirement on a label.');

export const HostSelector = z
  .strictObject({
    matchLabels: z.record(z.string().max(317), z.string().max(63)).optional().describe('Labels a Machine must have, each with this value.'),
    matchExpressions: z.array(LabelSelectorRequirement).max(64).optional().describe('Requirements a Machine\'s labels must all meet.'),
  })
  .describe('Machines of the namespace whose labels match are hosts of the group. An empty selector matches every Machine.');
export type HostSelector = z.infer<typeof HostSelector>;

/** Free-form variables, as YAML maps them: any JSON value under a variable name. */
export const HostVars = z
  .record(z.string().min(1).max(253), z.unknown())
  .meta({ description: 'Variables, free-form, as in an Ansible group_vars file.', 'x-kubernetes-preserve-unknown-fields': true });
export type HostVars = z.infer<typeof HostVars>;

export const VarsSource = z
  .strictObject({
    configMapKeyRef: z
      .strictObject({ name: ObjectName.describe('Name of the ConfigMap, in the same namespace.'), key: dataKey('The key whose value is a YAML map of variables.') })
      .optional()
      .describe('A ConfigMap key holding a YAML map of variables.'),
    secretKeyRef: z
      .strictObject({
        name: ObjectName.describe('Name of the Secret, in the same namespace; it must be of type polyfleet.io/credentials.'),
        key: dataKey('The key whose value is a YAML map of variables.'),
      })
      .optional()
      .describe('A Secret key (type polyfleet.io/credentials) holding a YAML map of variables.'),
  })
  .superRefine((v, ctx) => {
    if ((v.configMapKeyRef === undefined) === (v.secretKeyRef === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of configMapKeyRef and secretKeyRef' });
    }
  })
  .meta({
    description: 'Variables kept elsewhere: one ConfigMap or Secret key holding a YAML map. Later entries override earlier ones; vars override them all.',
    'x-kubernetes-validations': [{ rule: 'has(self.configMapKeyRef) != has(self.secretKeyRef)', message: 'give exactly one of configMapKeyRef and secretKeyRef' }],
  });
export type VarsSource = z.infer<typeof VarsSource>;

export const HostSecret = z
  .strictObject({
    name: ObjectName.describe('Name of the Secret, in the same namespace; it must be of type polyfleet.io/credentials.'),
    key: dataKey('The key of the Secret whose value is the file (a PEM blob, a token).'),
    path: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9_][-A-Za-z0-9_.]*(\/[A-Za-z0-9_][-A-Za-z0-9_.]*)*$/, { message: 'must be a relative path of letters, digits, "-", "_" and "." (no "..")' })
      .optional()
      .describe('Where the file goes under secrets/ of a bundle; default the key.'),
  })
  .describe('A Secret key whose value is a file attached to the group\'s hosts; only callers allowed to read the Secret receive it.');
export type HostSecret = z.infer<typeof HostSecret>;

export const HostGroupSpec = z
  .strictObject({
    selector: HostSelector.optional().describe('Machines of the namespace whose labels match are hosts of the group; absent: none by label.'),
    hosts: z.array(ObjectName).max(10000).optional().describe('Machines of the namespace, by name, that are hosts of the group.'),
    children: z.array(ObjectName).max(256).optional().describe('Other HostGroups of the namespace that are subgroups: their hosts are hosts of this group, and their variables override this group\'s.'),
    vars: HostVars.optional(),
    varsFrom: z.array(VarsSource).max(32).optional().describe('ConfigMap or Secret keys holding YAML maps of variables; vars override them.'),
    secrets: z.array(HostSecret).max(64).optional().describe('Secret keys with files attached to the group\'s hosts.'),
    priority: z
      .int()
      .min(-1000000)
      .max(1000000)
      .default(1)
      .describe('Ansible\'s ansible_group_priority: among groups of the same depth, the higher priority wins a conflicting variable. Default 1.'),
  })
  .describe('Which Machines are hosts of the group, its subgroups and its variables.');
export type HostGroupSpec = z.infer<typeof HostGroupSpec>;

export const HostGroupStatus = z
  .strictObject({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation this status was computed from.'),
    hostCount: z.int().min(0).optional().describe('Hosts of the group, its subgroups\' included.'),
    hosts: z.array(z.string().max(253)).max(1000).optional().describe('The hosts matched, its subgroups\' included, sorted; the first 1000.'),
    conditions: Conditions.optional(),
  })
  .describe('The hosts the group matched, and whether its spec is sound.');
export type HostGroupStatus = z.infer<typeof HostGroupStatus>;

export const HostGroup = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('HostGroup'),
    metadata: ObjectMeta,
    spec: HostGroupSpec,
    status: HostGroupStatus.optional(),
  })
  .describe('A HostGroup is an inventory group of Machines, with subgroups and variables, as Ansible sees it.');
export type HostGroup = z.infer<typeof HostGroup>;
