import { describe, expect, it } from '@jest/globals';
import type { modules } from 'dots-wrapper';
import { instanceOf } from './droplets.js';

type Droplet = modules.droplet.IDroplet;

const droplet = (status: string): Droplet =>
  ({
    id: 3164444,
    status,
    region: { slug: 'nyc3' },
    size_slug: 's-1vcpu-1gb',
    size: { price_hourly: 0.00893 },
    networks: { v4: [{ ip_address: '203.0.113.2', type: 'public' }], v6: [] },
    tags: [],
    created_at: '2026-12-06T19:12:16Z',
    image: { slug: 'ubuntu-24-04-x64', id: 1 },
  }) as unknown as Droplet;

describe('DigitalOcean droplet → Instance', () => {
  it.each([
    ['new', 'pending'],
    ['active', 'running'],
    // Powered off, and billed until destroyed: it must still be deleted.
    ['off', 'stopped'],
    // What a destroyed droplet shows until it is a 404.
    ['archive', 'terminated'],
  ])('droplet status %s is %s', (status, state) => {
    expect(instanceOf(droplet(status), 'do-a', {}).state).toBe(state);
  });

  it('keeps the addresses of a powered-off droplet, which DigitalOcean keeps', () => {
    expect(instanceOf(droplet('off'), 'do-a', {}).addresses).toEqual([{ type: 'ExternalIP', address: '203.0.113.2' }]);
  });
});
