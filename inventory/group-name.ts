/**
 * A name Ansible accepts as a group name (a Python identifier: letters, digits and "_", not starting
 * with a digit). Anything else becomes "_", as Ansible's own to_safe_group_name does, except that a
 * leading digit is kept behind a "_" rather than lost.
 */
export function ansibleGroupName(raw: string): string {
  const safe = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

export type AutomaticGroupPrefix = 'tenant' | 'pool' | 'provider' | 'region' | 'zone' | 'type';

/** `tenant_<namespace>`, `region_<region>` and the other automatic groups, made valid for Ansible. */
export function automaticGroupName(prefix: AutomaticGroupPrefix, value: string): string {
  const raw = `${prefix}_${value}`;
  let name = made.get(raw);
  if (name === undefined) {
    name = ansibleGroupName(raw);
    // Few distinct values (regions, zones, types) across thousands of hosts: each is made once.
    if (made.size < 100_000) made.set(raw, name);
  }
  return name;
}

const made = new Map<string, string>();
