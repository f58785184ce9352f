import { z } from 'zod';
import { Conditions } from './condition.js';
import { API_VERSION } from './group.js';
import { ObjectMeta } from './meta.js';
import { withRules } from './rules.js';

export const STEP_OPS = ['take', 'use', 'choose', 'chooseleaf', 'emit'] as const;
export const CHOOSE_MODES = ['firstn', 'indep'] as const;
export const WEIGHTINGS = ['equal', 'inversePrice', 'capacity'] as const;

const LEVEL = /^[a-z][a-zA-Z0-9]*$/;

export const PlacementStep = withRules(
  z.strictObject({
    op: z
      .enum(STEP_OPS)
      .describe('take: start at a bucket; use: re-root at a named bucket; choose/chooseleaf: pick items of a failure-domain type; emit: output the chosen items.'),
    bucket: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe('take and use: the bucket to start from: "root", or a domain path such as "aws-east/us-east-1".'),
    mode: z
      .enum(CHOOSE_MODES)
      .optional()
      .describe('choose and chooseleaf: firstn (replicas; a failed pick shortens the result) or indep (positions; a failed pick leaves a hole).'),
    count: z
      .int()
      .min(-64)
      .max(64)
      .optional()
      .describe('choose and chooseleaf: how many items; 0 or negative means groupSize plus this number. Default 0.'),
    type: z
      .string()
      .max(63)
      .optional()
      .describe('choose and chooseleaf: the failure-domain type to pick, one of spec.failureDomains.'),
  }),
  'One CRUSH rule step.',
  [
    {
      cel: "!(self.op in ['take', 'use']) || has(self.bucket)",
      message: 'take and use steps need a bucket',
      holds: (s) => !(s.op === 'take' || s.op === 'use') || s.bucket !== undefined,
    },
    {
      cel: "!(self.op in ['choose', 'chooseleaf']) || (has(self.mode) && has(self.type))",
      message: 'choose and chooseleaf steps need a mode and a type',
      holds: (s) => !(s.op === 'choose' || s.op === 'chooseleaf') || (s.mode !== undefined && s.type !== undefined),
    },
  ],
);
export type PlacementStep = z.infer<typeof PlacementStep>;

const Steps = withRules(
  z.array(PlacementStep).min(2).max(16),
  'A CRUSH rule over the failure-domain levels. Absent: take root, choose firstn 0 of the first level, chooseleaf firstn 1 of the last level, emit.',
  [
    {
      cel: "self[0].op == 'take' && self[size(self) - 1].op == 'emit'",
      message: 'steps must start with take and end with emit',
      holds: (steps) => steps[0]?.op === 'take' && steps[steps.length - 1]?.op === 'emit',
    },
  ],
);

export const PlacementRuleSpec = withRules(
  z.strictObject({
    failureDomains: z
      .array(z.string().min(1).max(63).regex(LEVEL, { message: 'must be a lowerCamelCase word such as "zone"' }))
      .min(1)
      .max(8)
      .default(['provider', 'region', 'zone'])
      .meta({
        description: 'Failure-domain levels from the top of the hierarchy down, each a CRUSH bucket type. A domain path has one segment per level, e.g. aws-east/us-east-1/us-east-1a.',
        'x-kubernetes-list-type': 'set',
      }),
    groupSize: z
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe('How many consecutive pool slots are placed together as one CRUSH input; the members of a group land in different domains.'),
    weighting: z
      .enum(WEIGHTINGS)
      .default('equal')
      .describe('Leaf domain weights: equal, inversePrice (cheaper domains get more nodes) or capacity (by offered capacity).'),
    domainWeights: z
      .record(z.string().max(253), z.number().min(0).max(65535))
      .optional()
      .describe('Weight overrides by domain path (any level, e.g. "do/ams3"); 0 drains that domain.'),
    steps: Steps.optional(),
  }),
  'How to spread a pool\'s nodes over failure domains with CRUSH.',
  [
    {
      cel: "!has(self.steps) || self.steps.all(s, !(s.op in ['choose', 'chooseleaf']) || !has(s.type) || s.type in self.failureDomains)",
      message: 'the type of every choose and chooseleaf step must be one of failureDomains',
      fieldPath: '.steps',
      holds: (spec) =>
        (spec.steps ?? []).every(
          (s) => !(s.op === 'choose' || s.op === 'chooseleaf') || s.type === undefined || spec.failureDomains.includes(s.type),
        ),
    },
  ],
);
export type PlacementRuleSpec = z.infer<typeof PlacementRuleSpec>;

/** The steps a rule runs: its own, or the default spread over its levels. */
export function effectiveSteps(spec: PlacementRuleSpec): PlacementStep[] {
  if (spec.steps) return spec.steps;
  const top = spec.failureDomains[0] ?? 'provider';
  const leaf = spec.failureDomains[spec.failureDomains.length - 1] ?? top;
  return [
    { op: 'take', bucket: 'root' },
    { op: 'choose', mode: 'firstn', count: 0, type: top },
    { op: 'chooseleaf', mode: 'firstn', count: 1, type: leaf },
    { op: 'emit' },
  ];
}

export const PlacementDomain = z
  .strictObject({
    path: z.string().max(253).describe('The leaf domain path, e.g. aws-east/us-east-1/us-east-1a.'),
    weight: z.number().min(0).describe('The CRUSH weight it was given (0 = drained).'),
  })
  .describe('One leaf failure domain of the compiled hierarchy.');

export const PlacementRuleStatus = z
  .strictObject({
    observedGeneration: z.int().min(0).optional().describe('The .metadata.generation this status was computed from.'),
    domainCount: z.int().min(0).optional().describe('How many leaf failure domains the compiled hierarchy has.'),
    domains: z.array(PlacementDomain).max(1024).optional().describe('The leaf failure domains and their weights.'),
    conditions: Conditions.optional(),
  })
  .describe('The compiled hierarchy and any constraint error.');
export type PlacementRuleStatus = z.infer<typeof PlacementRuleStatus>;

export const PlacementRule = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('PlacementRule'),
    metadata: ObjectMeta,
    spec: PlacementRuleSpec,
    status: PlacementRuleStatus.optional(),
  })
  .describe('A PlacementRule spreads nodes over failure domains (provider, region, zone) with Ceph\'s CRUSH algorithm.');
export type PlacementRule = z.infer<typeof PlacementRule>;
