import { z } from 'zod';

/** metav1.Condition, field for field, so kubectl and every Kubernetes tool reads it. */
export const Condition = z
  .strictObject({
    type: z
      .string()
      .max(316)
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/)
      .describe('Type of condition in UpperCamelCase, e.g. Ready.'),
    status: z.enum(['True', 'False', 'Unknown']).describe('Status of the condition: True, False or Unknown.'),
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation the condition was set from.'),
    lastTransitionTime: z.iso.datetime().describe('When the condition last changed from one status to another.'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
      .describe('A programmatic identifier, in UpperCamelCase, for the last transition.'),
    message: z.string().max(32768).describe('A human-readable message about the transition.'),
  })
  .describe('A metav1.Condition: one aspect of the current state of the object.');
export type Condition = z.infer<typeof Condition>;

export const Conditions = z
  .array(Condition)
  .max(32)
  .meta({
    description: 'The latest observations of the object\'s state, one per condition type.',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });
