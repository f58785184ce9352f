// The Machine a planned slot becomes: named, labelled, annotated and owned as controllers/README.md says.

import {
  ANNOTATION_HOURLY_PRICE,
  ANNOTATION_PLACEMENT,
  API_VERSION,
  FINALIZER_MACHINE,
  LABEL_POOL,
  LABEL_PROVIDER,
  LABEL_SLOT,
  type Machine,
  type NodePool,
  type ProviderAccount,
} from '../../api/index.js';
import { accountRecord } from '../shared/index.js';
import type { PlannedCreate } from './plan.js';

const NAME_LIMIT = 253;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Five random [a-z0-9], as Kubernetes' generateName makes them. */
export function randomSuffix(random: () => number = Math.random): string {
  return Array.from({ length: 5 }, () => SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)] ?? 'x').join('');
}

/**
 * `pool` must be as stored (uid set): the owner reference is what ties the Machine to it. `account`
 * is the Strategy's account of the offering: the Machine keeps how to reach it, so its instance can
 * be terminated even after the account or the Strategy is gone.
 */
export function newMachine(pool: NodePool, create: PlannedCreate, suffix: string, account: ProviderAccount | undefined): Machine & { kind: 'Machine' } {
  const { offering } = create;
  const poolName = pool.metadata.name;
  const template = pool.spec.template;
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: {
      name: `${poolName.slice(0, NAME_LIMIT - suffix.length - 1)}-${suffix}`,
      namespace: pool.metadata.namespace ?? 'default',
      // Ours last: a template cannot take a Machine out of its pool's selector.
      labels: { ...template.labels, [LABEL_POOL]: poolName, [LABEL_SLOT]: String(create.slot), [LABEL_PROVIDER]: offering.provider },
      annotations: { ...template.annotations, [ANNOTATION_PLACEMENT]: create.explanation, [ANNOTATION_HOURLY_PRICE]: offering.hourlyPrice },
      ownerReferences: [{ apiVersion: API_VERSION, kind: 'NodePool', name: poolName, uid: pool.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      // The Machine controller's finalizer from the first write: it would add it before any cloud
      // call anyway, and one write per Machine instead of two halves a scale-out's fsyncs.
      finalizers: [FINALIZER_MACHINE],
    },
    spec: {
      pool: poolName,
      provider: offering.provider,
      providerType: offering.providerType,
      region: offering.region,
      zone: offering.zone,
      instanceType: offering.instanceType,
      ...(offering.capacityType === 'spot' ? { capacityType: 'spot' as const } : {}),
      image: offering.image,
      slot: create.slot,
      failureDomain: create.domain,
      ...(template.userData === undefined ? {} : { userData: template.userData }),
      // The reference only: the Machine controller reads the Secret when it creates the instance, so
      // whoever may read Machines never sees the content.
      ...(template.userDataSecretRef === undefined ? {} : { userDataSecretRef: { ...template.userDataSecretRef } }),
      ...(account === undefined ? {} : { providerAccount: accountRecord(account) }),
    },
  };
}
