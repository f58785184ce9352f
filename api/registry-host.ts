import { z } from 'zod';
import { MACHINE_PHASES, MachineAddress } from './machine.js';

/**
 * One host as the node registry publishes it in etcd (`<prefix>hosts/<namespace>/<name>`, and
 * `<prefix>unclustered/<name>` until a consumer claims it): what another project needs to pick a
 * node up. A published contract: fields are only ever added.
 */
export const RegistryHost = z.strictObject({
  name: z.string().describe('The Machine\'s name.'),
  namespace: z.string().describe('The Machine\'s namespace.'),
  uid: z.string().describe('The Machine\'s UID: a re-created Machine of the same name is another host.'),
  addresses: z.array(MachineAddress).describe('Addresses of the instance, as the Machine reports them.'),
  provider: z.string().describe('The provider type (aws, gcp, digitalocean, sim).'),
  account: z.string().describe('The provider account (Strategy providers[].name).'),
  region: z.string(),
  zone: z.string(),
  instanceType: z.string(),
  instanceId: z.string(),
  pool: z.string().describe('The NodePool the Machine belongs to.'),
  labels: z.record(z.string(), z.string()),
  phase: z.enum(MACHINE_PHASES).optional(),
});
export type RegistryHost = z.infer<typeof RegistryHost>;

/** A record of CoreDNS's etcd plugin (the SkyDNS layout): `host` is an address; `ttl` in seconds. */
export const SkyDnsRecord = z.strictObject({
  host: z.string(),
  ttl: z.int().min(0),
});
export type SkyDnsRecord = z.infer<typeof SkyDnsRecord>;
