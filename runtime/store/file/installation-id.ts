import { randomBytes } from 'node:crypto';

/**
 * The id of a state file made before ids existed: the managed-by tag every polyfleet used then,
 * so the instances such an installation made stay its own after an upgrade.
 */
export const LEGACY_INSTALLATION_ID = 'polyfleet';

/** "pf-" and 12 lowercase hex digits (48 random bits): a valid tag or label value on every cloud. */
export function newInstallationId(random: (bytes: number) => Buffer = randomBytes): string {
  return `pf-${random(6).toString('hex')}`;
}

/** What a state file header may carry: a DNS label, as cloud tags and Kubernetes label values allow. */
export function isInstallationId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value);
}
