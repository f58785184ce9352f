// Builds the CRUSH hierarchy root → level 1 → … → leaf domain → one device, from leaf paths.
//
// Why a device under each leaf: chooseleaf needs the failure domain to be a bucket type
// (`chooseleaf firstn 1 type zone` picks a zone, then a device inside it), so each leaf
// domain is a bucket of the lowest level holding exactly one device of the same weight.
//
// Weights: a leaf bucket weighs its leaf's weight; an inner domain weighs the mean of its
// children. A domain's pull therefore does not grow with how many zones it lists: adding or
// removing a zone changes no weight above its own parent, so (with straw2) only slots inside
// that parent can move, and only to or from that zone when the weights are equal. Setting
// every leaf of a domain to 0 gives the domain weight 0: drained.
//
// Ids: straw2 hashes an item's id into every draw, so ids that shift when a leaf is added
// would move data for nothing. Dense ids (sorted path order) index the arrays, while each
// item's hashId, what straw2 actually hashes (Ceph's choose_args ids), comes from its path.

import type { BucketItem, CrushBucket, CrushDevice, CrushType } from './crush-map.js';
import type { LeafDomain } from './placement-spec.js';
import { ROOT_BUCKET } from './placement-spec.js';
import { fnv1a32 } from './slot-input.js';

export interface DomainTree {
  readonly types: readonly CrushType[];
  readonly devices: readonly CrushDevice[];
  readonly buckets: readonly CrushBucket[];
  /** Bucket id by name: "root" and every domain path. */
  readonly bucketIds: ReadonlyMap<string, number>;
  /** Domain path by item id: a device gives its leaf's path. */
  readonly pathOf: ReadonlyMap<number, string>;
  /** Device id by leaf path. */
  readonly deviceOf: ReadonlyMap<string, number>;
}

interface DomainNode {
  readonly path: string;
  readonly children: DomainNode[];
  weight: number;
}

const ROOT_ID = -1;

export function levelTypeId(levels: readonly string[], level: string): number {
  return levels.length - levels.indexOf(level);
}

export function buildDomainTree(levels: readonly string[], leaves: readonly LeafDomain[]): DomainTree {
  const root = buildNodes(leaves);
  weighInnerNodes(root);
  const inner = collect(root).filter((n) => n !== root && n.children.length > 0);
  const leafNodes = collect(root).filter((n) => n !== root && n.children.length === 0);
  const bucketIds = new Map<string, number>([[ROOT_BUCKET, ROOT_ID]]);
  [...inner, ...leafNodes].sort(byPath).forEach((n, i) => bucketIds.set(n.path, -2 - i));
  const deviceOf = new Map(leafNodes.sort(byPath).map((n, i) => [n.path, i] as const));
  const pathOf = new Map<number, string>();
  for (const [path, id] of bucketIds) if (id !== ROOT_ID) pathOf.set(id, path);
  for (const [path, id] of deviceOf) pathOf.set(id, path);

  const bucketOf = (node: DomainNode): CrushBucket => {
    const id = node === root ? ROOT_ID : (bucketIds.get(node.path) ?? 0);
    const depth = node === root ? 0 : node.path.split('/').length;
    const isLeaf = node !== root && node.children.length === 0;
    const items: BucketItem[] = isLeaf
      ? [{ id: deviceOf.get(node.path) ?? 0, weight: node.weight, hashId: fnv1a32(`device:${node.path}`) | 0 }]
      : childItems(node.children.sort(byPath), bucketIds);
    return { id, name: node === root ? ROOT_BUCKET : node.path, typeId: levels.length + 1 - depth, items };
  };
  return {
    types: [
      { id: 0, name: '(device)' },
      ...[...levels].reverse().map((name) => ({ id: levelTypeId(levels, name), name })),
      { id: levels.length + 1, name: '(root)' },
    ],
    devices: [...deviceOf].map(([path, id]) => ({ id, name: `${path}#device` })),
    buckets: [root, ...inner, ...leafNodes].map(bucketOf).sort((a, b) => b.id - a.id),
    bucketIds,
    pathOf,
    deviceOf,
  };
}

function buildNodes(leaves: readonly LeafDomain[]): DomainNode {
  const root: DomainNode = { path: '', children: [], weight: 0 };
  const byPath = new Map<string, DomainNode>();
  for (const leaf of leaves) {
    let parent = root;
    const segments = leaf.path.split('/');
    segments.forEach((_, depth) => {
      const path = segments.slice(0, depth + 1).join('/');
      let node = byPath.get(path);
      if (!node) {
        node = { path, children: [], weight: 0 };
        byPath.set(path, node);
        parent.children.push(node);
      }
      parent = node;
    });
    parent.weight = Math.round(leaf.weight * 0x10000);
  }
  return root;
}

/** Mean of the children, at least 1 while any child has weight, so rounding never drains. */
function weighInnerNodes(node: DomainNode): number {
  if (node.children.length === 0) return node.weight;
  const sum = node.children.reduce((s, child) => s + weighInnerNodes(child), 0);
  node.weight = sum === 0 ? 0 : Math.max(1, Math.round(sum / node.children.length));
  return node.weight;
}

/** Sibling hash ids must differ or the two would always draw alike; re-salt the later one. */
function childItems(children: readonly DomainNode[], bucketIds: ReadonlyMap<string, number>): BucketItem[] {
  const used = new Set<number>();
  return children.map((child) => {
    let hashId = fnv1a32(`domain:${child.path}`) | 0;
    for (let salt = 1; used.has(hashId); salt++) hashId = fnv1a32(`domain:${child.path}#${salt}`) | 0;
    used.add(hashId);
    return { id: bucketIds.get(child.path) ?? 0, weight: child.weight, hashId };
  });
}

function collect(node: DomainNode): DomainNode[] {
  return [node, ...node.children.flatMap(collect)];
}

function byPath(a: DomainNode, b: DomainNode): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
