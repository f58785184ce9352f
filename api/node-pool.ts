import { z } from 'zod';
import { Conditions } from './condition.js';
import { API_VERSION } from './group.js';
import { localRef, ObjectMeta, ObjectName } from './meta.js';
import { money, REDUNDANCY_PATTERN } from './quantities.js';
import { withRules } from './rules.js';
import { CapacityType } from './strategy.js';

const LabelMap = z.record(z.string().max(317), z.string().max(63));

/** A Secret data key, as Kubernetes allows it. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export const USER_DATA_DESCRIPTION =
  'Cloud-init user data passed to each instance. It is copied into every Machine, so everyone who can read NodePools or Machines can read it: put join tokens and other secrets in a Secret and name it in userDataSecretRef instead.';

export const UserDataSecretRef = z
  .strictObject({
    name: ObjectName.describe('Name of the Secret, in the same namespace; it must be of type polyfleet.io/credentials.'),
    key: z
      .string()
      .min(1)
      .max(253)
      .regex(SECRET_KEY, { message: 'must be a Secret data key: letters, digits, "-", "_" and "."' })
      .describe('The key of the Secret whose value is the user data.'),
  })
  .describe(
    'A key of a Secret (type polyfleet.io/credentials, in the same namespace) holding the cloud-init user data. The controller reads it when it creates each instance; it is never copied into a Machine. Instead of userData.',
  );
export type UserDataSecretRef = z.infer<typeof UserDataSecretRef>;

/** Inline user data or a Secret's key: the same rule, worded the same, on NodePool templates and Machines. */
export const USER_DATA_EXCLUSIVE = {
  cel: '!(has(self.userData) && has(self.userDataSecretRef))',
  message: 'userData and userDataSecretRef are mutually exclusive: give the user data inline or name the Secret that holds it, not both',
  fieldPath: '.userDataSecretRef',
  holds: (v: { readonly userData?: string | undefined; readonly userDataSecretRef?: UserDataSecretRef | undefined }) => v.userData === undefined || v.userDataSecretRef === undefined,
} as const;

const MachineTemplate = withRules(
  z.strictObject({
    labels: LabelMap.optional().describe('Labels every Machine of the pool carries.'),
    annotations: z.record(z.string().max(317), z.string()).optional().describe('Annotations every Machine of the pool carries.'),
    userData: z.string().max(65536).optional().describe(USER_DATA_DESCRIPTION),
    userDataSecretRef: UserDataSecretRef.optional(),
  }),
  'What every Machine of the pool is stamped from.',
  [USER_DATA_EXCLUSIVE],
);

export const NodePoolSpec = z
  .strictObject({
    replicas: z.int().min(0).max(10000).default(1).describe('How many nodes the pool should have online (before redundancy).'),
    redundancy: z
      .string()
      .max(8)
      .regex(REDUNDANCY_PATTERN, { message: 'must be "N:1" (N times the replicas) or "+N" (N spares), e.g. "2:1" or "+1"' })
      .default('1:1')
      .describe('Extra capacity on top of replicas: "N:1" runs N times the replicas, "+N" adds N spares. Default "1:1".'),
    strategyRef: localRef('Strategy'),
    placementRuleRef: localRef('PlacementRule')
      .optional()
      .describe('The PlacementRule that spreads the nodes; absent: every node goes to the single best offering.'),
    template: MachineTemplate.default({}).describe('What every Machine of the pool is stamped from.'),
    disruption: z
      .strictObject({
        maxUnavailable: z.int().min(0).max(10000).default(1).describe('Most nodes that may be replaced or removed at once.'),
      })
      .default({ maxUnavailable: 1 })
      .describe('Limits on voluntary disruption.'),
    readyTimeoutSeconds: z
      .int()
      .min(30)
      .max(86400)
      .default(900)
      .describe('A Machine not running this many seconds after its create is Failed and replaced.'),
    remediation: z
      .strictObject({
        maxUnhealthy: z
          .string()
          .max(4)
          .regex(/^(100|[1-9]?[0-9])%$/, { message: 'must be a percentage of the desired Machines, e.g. "40%"' })
          .default('40%')
          .describe('Most of the pool (a percentage of the desired Machines, rounded down, at least 1) replaced within windowSeconds; past it, replacing pauses (condition RemediationPaused).'),
        windowSeconds: z
          .int()
          .min(60)
          .max(86400)
          .default(600)
          .describe('How long a replacement counts against maxUnhealthy.'),
      })
      .default({ maxUnhealthy: '40%', windowSeconds: 600 })
      .describe(
        'Limits on replacing failed Machines, like Cluster API\'s MachineHealthCheck maxUnhealthy: when many fail at once (a bad image, a broken zone, a cloud outage), replacing them all would only make more that fail.',
      ),
    dryRun: z.boolean().default(false).describe('Plan only: status.plan shows where nodes would go and what they would cost; nothing is created.'),
    paused: z.boolean().default(false).describe('Stop creating and deleting Machines; status is still kept.'),
  })
  .describe('How many nodes, with what redundancy, placed by which Strategy and PlacementRule.');
export type NodePoolSpec = z.infer<typeof NodePoolSpec>;

export const PlannedNode = z
  .strictObject({
    slot: z.int().min(0).describe('Pool slot number.'),
    domain: z.string().max(253).optional().describe('Failure-domain path the slot maps to; absent if none could be found.'),
    provider: z.string().max(63).optional().describe('Provider account.'),
    region: z.string().max(63).optional().describe('Region.'),
    zone: z.string().max(63).optional().describe('Zone.'),
    instanceType: z.string().max(128).optional().describe('Machine type.'),
    capacityType: CapacityType.optional().describe('How the node is (or would be) bought: on-demand or spot; absent when the slot has no place.'),
    hourlyPrice: money('Price per hour.').optional(),
    explanation: z.string().max(1024).describe('Why the slot goes there, in one line.'),
  })
  .describe('Where one slot would go.');
export type PlannedNode = z.infer<typeof PlannedNode>;

export const DomainCount = z
  .strictObject({
    domain: z.string().max(253).describe('Failure-domain path.'),
    replicas: z.int().min(0).describe('Machines in the domain.'),
    readyReplicas: z.int().min(0).describe('Running Machines in the domain.'),
    desiredReplicas: z.int().min(0).optional().describe('The domain\'s share: how many of the desired slots the placement puts there (where their Machines are, or would go).'),
  })
  .describe('Machine counts of one failure domain.');

export const NodePoolStatus = z
  .strictObject({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation this status was computed from.'),
    replicas: z.int().min(0).optional().describe('Machines that exist for the pool.'),
    readyReplicas: z.int().min(0).optional().describe('Machines that are Running.'),
    desiredReplicas: z.int().min(0).optional().describe('Machines wanted: replicas with redundancy applied.'),
    selector: z.string().max(1024).optional().describe('Label selector of the pool\'s Machines (for the scale subresource).'),
    hourlyCost: money('What the pool\'s Running Machines cost per hour together, each at its instance\'s own price (spot included).').optional(),
    spotReplicas: z.int().min(0).optional().describe('Machines bought as spot capacity (of replicas): the share the cloud may reclaim.'),
    spotHourlyCost: money('What the pool\'s Running spot Machines cost per hour together (part of hourlyCost).').optional(),
    domains: z.array(DomainCount).max(1024).optional().describe('Machine counts per failure domain.'),
    recentReplacements: z
      .array(z.iso.datetime())
      .max(10000)
      .optional()
      .describe('When each failed Machine replaced within the remediation window was deleted (counted against remediation.maxUnhealthy).'),
    plan: z.array(PlannedNode).max(10000).optional().describe('With dryRun: where each slot would go and what it would cost.'),
    conditions: Conditions.optional(),
  })
  .describe('The observed state of the pool.');
export type NodePoolStatus = z.infer<typeof NodePoolStatus>;

export const NodePool = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('NodePool'),
    metadata: ObjectMeta,
    spec: NodePoolSpec,
    status: NodePoolStatus.optional(),
  })
  .describe('A NodePool keeps a number of compute nodes alive across clouds.');
export type NodePool = z.infer<typeof NodePool>;
