import type { Kind } from '../resource.js';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description: string;
  readonly priority?: number;
}

export interface CrdKind {
  readonly kind: Kind;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly columns: readonly PrinterColumn[];
  readonly scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
}

const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since the object was created.',
};

/** How each kind is served: names, columns, subresources. The schema itself comes from the zod types. */
export const CRD_KINDS: readonly CrdKind[] = [
  {
    kind: 'NodePool',
    plural: 'nodepools',
    singular: 'nodepool',
    shortNames: ['np'],
    columns: [
      { name: 'Desired', type: 'integer', jsonPath: '.status.desiredReplicas', description: 'Machines wanted: replicas with redundancy.' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas', description: 'Machines running.' },
      { name: 'Cost/h', type: 'string', jsonPath: '.status.hourlyCost', description: 'Hourly cost of the pool\'s Machines, USD.' },
      { name: 'Strategy', type: 'string', jsonPath: '.spec.strategyRef.name', description: 'The Strategy the pool uses.' },
      age,
    ],
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  },
  {
    kind: 'Strategy',
    plural: 'strategies',
    singular: 'strategy',
    shortNames: ['strat'],
    columns: [
      { name: 'Pick', type: 'string', jsonPath: '.spec.pick', description: 'How offerings are picked.' },
      { name: 'Offerings', type: 'integer', jsonPath: '.status.offeringCount', description: 'Acceptable offerings resolved.' },
      age,
    ],
  },
  {
    kind: 'PlacementRule',
    plural: 'placementrules',
    singular: 'placementrule',
    shortNames: ['pr'],
    columns: [
      { name: 'Domains', type: 'integer', jsonPath: '.status.domainCount', description: 'Leaf failure domains of the compiled hierarchy.' },
      { name: 'Levels', type: 'string', jsonPath: '.spec.failureDomains', description: 'Failure-domain levels, top down.', priority: 1 },
      age,
    ],
  },
  {
    kind: 'Machine',
    plural: 'machines',
    singular: 'machine',
    shortNames: ['pfm'],
    columns: [
      { name: 'Pool', type: 'string', jsonPath: '.spec.pool', description: 'The NodePool of the Machine.' },
      { name: 'Provider', type: 'string', jsonPath: '.spec.provider', description: 'Provider account.' },
      { name: 'Zone', type: 'string', jsonPath: '.spec.zone', description: 'Zone of the instance.' },
      { name: 'Type', type: 'string', jsonPath: '.spec.instanceType', description: 'Machine type.' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Lifecycle phase.' },
      age,
    ],
  },
  {
    kind: 'HostGroup',
    plural: 'hostgroups',
    singular: 'hostgroup',
    shortNames: ['hg'],
    columns: [
      { name: 'Hosts', type: 'integer', jsonPath: '.status.hostCount', description: 'Hosts of the group, its subgroups\' included.' },
      { name: 'Priority', type: 'integer', jsonPath: '.spec.priority', description: 'ansible_group_priority.', priority: 1 },
      age,
    ],
  },
];
