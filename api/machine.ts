import { z } from 'zod';
import { Conditions } from './condition.js';
import { API_VERSION } from './group.js';
import { ObjectMeta, ObjectName } from './meta.js';
import { USER_DATA_EXCLUSIVE, UserDataSecretRef } from './node-pool.js';
import { money } from './quantities.js';
import { withRules } from './rules.js';
import { CapacityType, PROVIDER_TYPES, ProviderAccount } from './strategy.js';

export const MACHINE_PHASES = ['Pending', 'Provisioning', 'Running', 'Failed', 'Terminating'] as const;

/**
 * How the Machine's instance is reached, as its Strategy said when the NodePool made the Machine:
 * an account removed from the Strategy (or a Strategy deleted) still has instances to terminate.
 * References only (a Secret's name, ${env.…}), never a credential.
 */
export const MachineProviderAccount = ProviderAccount.pick({ name: true, type: true, credentialsSecretRef: true, credentials: true, endpoint: true, project: true }).describe(
  'The provider account as the Strategy had it when the Machine was made: how its instance is still reached (and terminated) once the account or the Strategy is gone.',
);
export type MachineProviderAccount = z.infer<typeof MachineProviderAccount>;

export const MachineSpec = withRules(
  z.strictObject({
    pool: ObjectName.describe('Name of the NodePool the Machine belongs to.'),
    provider: z.string().min(1).max(63).describe('Provider account name, as in the Strategy.'),
    providerType: z.enum(PROVIDER_TYPES).describe('Which cloud the account is on.'),
    region: z.string().min(1).max(63).describe('Region of the instance.'),
    zone: z.string().min(1).max(63).describe('Zone of the instance.'),
    instanceType: z.string().min(1).max(128).describe('Machine type of the instance.'),
    capacityType: CapacityType.optional().describe('spot: bought as a spot/preemptible instance, which the cloud may reclaim (the Machine is then replaced); absent: on demand.'),
    image: z.string().max(1024).optional().describe('Image the instance boots.'),
    slot: z.int().min(0).max(100000).describe('Pool slot the Machine fills; scale-down removes the highest slots first.'),
    failureDomain: z.string().min(1).max(253).describe('Failure-domain path the slot was placed in, e.g. aws-east/us-east-1/us-east-1a.'),
    userData: z
      .string()
      .max(65536)
      .optional()
      .describe('Cloud-init user data, as the NodePool\'s template gave it: everyone who can read NodePools or Machines can read it (secrets belong in userDataSecretRef).'),
    userDataSecretRef: UserDataSecretRef.optional().describe(
      'The Secret key (type polyfleet.io/credentials, in the same namespace) the instance\'s cloud-init user data is read from when it is created; a reference only, the content is never copied here.',
    ),
    providerAccount: MachineProviderAccount.optional(),
  }),
  'Which instance to run: provider account, place, type and image.',
  [USER_DATA_EXCLUSIVE],
);
export type MachineSpec = z.infer<typeof MachineSpec>;

export const MachineAddress = z
  .strictObject({
    type: z.enum(['InternalIP', 'ExternalIP', 'Hostname']).describe('Kind of address.'),
    address: z.string().max(253).describe('The address.'),
  })
  .describe('One address of the instance.');

export const MachineStatus = z
  .strictObject({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation this status was computed from.'),
    phase: z
      .enum(MACHINE_PHASES)
      .optional()
      .describe('Pending (not yet created), Provisioning (created, not yet running), Running, Failed (will be replaced), Terminating.'),
    instanceId: z.string().max(256).optional().describe('The provider\'s id of the instance.'),
    addresses: z.array(MachineAddress).max(16).optional().describe('Addresses of the instance.'),
    hourlyPrice: money('What the instance costs per hour.').optional(),
    placement: z.string().max(2048).optional().describe('Why the Machine is where it is: a short CRUSH and pick explanation.'),
    createdAt: z.iso.datetime().optional().describe('When the provider accepted the create.'),
    instanceNotFoundSince: z.iso
      .datetime()
      .optional()
      .describe('When the provider first answered that it has no such instance; it is declared gone only once that has lasted (clouds are eventually consistent).'),
    reclaimed: z.boolean().optional().describe('True when the cloud reclaimed the spot instance (an interruption, not a fault of the offering).'),
    failureReason: z.string().max(128).optional().describe('Why the Machine failed, as a reason code.'),
    failureMessage: z.string().max(2048).optional().describe('Why the Machine failed, for a human.'),
    conditions: Conditions.optional(),
  })
  .describe('The observed state of the instance.');
export type MachineStatus = z.infer<typeof MachineStatus>;

export const Machine = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('Machine'),
    metadata: ObjectMeta,
    spec: MachineSpec,
    status: MachineStatus.optional(),
  })
  .describe('A Machine is one cloud instance of a NodePool.');
export type Machine = z.infer<typeof Machine>;
