import { describe, expect, it } from '@jest/globals';
import { registryFlags } from './registry-flags.js';

describe('the node registry flags', () => {
  it('are off without --registry-etcd', () => {
    expect(registryFlags({})).toBeUndefined();
  });

  it('take the same endpoints, prefix and TLS form as --store', () => {
    expect(registryFlags({ 'registry-etcd': 'etcd://a:2379,b:2379', 'registry-etcd-prefix': '/fleet/', 'registry-etcd-cacert': 'ca.pem', 'dns-domain': 'fleet.local' })).toEqual({
      endpoints: ['a:2379', 'b:2379'],
      prefix: '/fleet/',
      caFile: 'ca.pem',
      dnsDomain: 'fleet.local',
    });
  });

  it.each([
    { flags: { 'dns-domain': 'fleet.local' }, says: '--dns-domain needs --registry-etcd etcd://HOST:PORT' },
    { flags: { 'registry-etcd': 'http://a:2379' }, says: '--registry-etcd "http://a:2379": expected etcd://HOST:PORT' },
    { flags: { 'registry-etcd': 'etcd://a' }, says: '--registry-etcd "etcd://a": "a" is not HOST:PORT' },
    { flags: { 'registry-etcd': 'etcd://a:1', 'registry-etcd-cert': 'c.pem' }, says: '--registry-etcd-cert and --registry-etcd-key go together' },
    { flags: { 'registry-etcd': 'etcd://a:1', 'registry-etcd-user': 'u' }, says: '$POLYFLEET_REGISTRY_ETCD_PASSWORD' },
    { flags: { 'registry-etcd': 'etcd://a:1', 'dns-domain': 'Fleet_Local' }, says: '--dns-domain "Fleet_Local": not a DNS name' },
  ])('name the flag at fault: $says', ({ flags, says }) => {
    expect(() => registryFlags(flags, {})).toThrow(says);
  });
});
