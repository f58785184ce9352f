import { z } from 'zod';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label: what Kubernetes requires of names used in label values and paths. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const ObjectName = z
  .string()
  .min(1)
  .max(253)
  .regex(DNS_SUBDOMAIN, { message: 'must be lowercase letters, digits, "-" and ".", starting and ending alphanumeric' });

export const OwnerReference = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReference>;

/**
 * The subset of metav1.ObjectMeta polyfleet reads and writes. Loose: objects read back from
 * the API server carry more (managedFields, …) and must round-trip untouched.
 */
export const ObjectMeta = z.looseObject({
  name: ObjectName,
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(OwnerReference).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** A reference to another object of a known kind in the same namespace. */
export function localRef(what: string) {
  return z
    .strictObject({ name: ObjectName.describe(`Name of the ${what} in the same namespace.`) })
    .describe(`The ${what} to use.`);
}
