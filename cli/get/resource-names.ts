import { CRD_KINDS, type CrdKind } from '../../api/crd/index.js';

/** The kind a user means by `machines`, `machine`, `pfm`, `Machine` or `machines.polyfleet.io`, as kubectl resolves them. */
export function resolveResource(name: string): CrdKind | undefined {
  const wanted = name.toLowerCase().replace(/\.polyfleet\.io$/, '');
  return CRD_KINDS.find((k) => [k.plural, k.singular, k.kind.toLowerCase(), ...k.shortNames].includes(wanted));
}

export function resourceNamesHelp(): string {
  return CRD_KINDS.map((k) => `${k.plural} (${[k.singular, ...k.shortNames].join(', ')})`).join(', ');
}
