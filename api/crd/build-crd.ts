import type { z } from 'zod';
import { GROUP, VERSION } from '../group.js';
import { RESOURCE_SCHEMAS } from '../resource.js';
import type { CrdKind } from './crd-kinds.js';
import { toStructuralSchema, type JsonSchema } from './openapi-schema.js';

/** The apiextensions.k8s.io/v1 CustomResourceDefinition of one kind, generated from its zod schema. */
export function buildCrd(k: CrdKind): JsonSchema {
  const schema = RESOURCE_SCHEMAS[k.kind] as z.ZodObject;
  const shape = schema.shape as Record<string, z.ZodType>;
  const spec = toStructuralSchema(required(shape, 'spec'));
  const status = toStructuralSchema(required(shape, 'status'));
  const openAPIV3Schema: JsonSchema = {
    type: 'object',
    description: schema.description,
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion of this object: polyfleet.io/v1alpha1.' },
      kind: { type: 'string', description: `Kind of this object: ${k.kind}.` },
      // The API server (1.35) refuses anything but `type` here: metadata's schema is its own.
      metadata: { type: 'object' },
      spec,
      status,
    },
    required: ['spec'],
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${k.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: k.kind,
        listKind: `${k.kind}List`,
        plural: k.plural,
        singular: k.singular,
        shortNames: [...k.shortNames],
        categories: ['polyfleet'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema },
          subresources: { status: {}, ...(k.scale ? { scale: { ...k.scale } } : {}) },
          additionalPrinterColumns: k.columns.map((c) => ({ ...c })),
        },
      ],
    },
  };
}

function required(shape: Record<string, z.ZodType>, key: string): z.ZodType {
  const field = shape[key];
  if (!field) throw new Error(`resource schema has no ${key}`);
  return field;
}
