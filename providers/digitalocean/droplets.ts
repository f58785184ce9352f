import type { modules } from 'dots-wrapper';
import type { Instance, InstanceAddress, InstanceState } from '../types.js';
import { dollarsPerHour } from './money.js';
import { tagsFromNames } from './tags.js';

type Droplet = modules.droplet.IDroplet;

/**
 * DO's droplet statuses (new, active, off, archive: digitalocean/openapi, droplet.yml). `off` is
 * powered off, and a powered-off droplet bills until destroyed. `archive` is what a destroyed
 * droplet shows until it reads as a 404 (DigitalOcean's Terraform provider waits for `archive`
 * after a destroy). DO shows nothing for "powering off": a droplet stays `active` until off.
 */
const STATES: Readonly<Record<string, InstanceState>> = {
  new: 'pending',
  active: 'running',
  off: 'stopped',
  archive: 'terminated',
};

export function regionOf(d: Droplet): string {
  return typeof d.region === 'string' ? d.region : d.region.slug;
}

/** The image slug (or id, for a snapshot without slug) the droplet was made from. */
export function imageOf(d: Droplet): string {
  if (typeof d.image === 'object') return d.image.slug ?? String(d.image.id);
  return String(d.image);
}

/** Whether the droplet was made from `image`, named by slug or by id (a snapshot's, or a user's explicit one). */
export function madeFrom(d: Droplet, image: string): boolean {
  if (typeof d.image === 'object') return d.image.slug === image || String(d.image.id) === image;
  return String(d.image) === image;
}

/** What POST /v2/droplets wants for `image`: a slug as is, an image id as a JSON number (a string is read as a slug). */
export function imageParameter(image: string): string | number {
  return /^[1-9][0-9]{0,15}$/.test(image) ? Number(image) : image;
}

function addressesOf(d: Droplet): InstanceAddress[] {
  const v4 = d.networks.v4.map((n) => ({ type: n.type === 'public' ? 'ExternalIP' : 'InternalIP', address: n.ip_address }) as const);
  const v6 = d.networks.v6.map((n) => ({ type: n.type === 'public' ? 'ExternalIP' : 'InternalIP', address: n.ip_address }) as const);
  return [...v4, ...v6].filter((a) => a.address !== '');
}

/** The droplet as an Instance; DO has no zones, so the zone is the region (one zone per region). */
export function instanceOf(d: Droplet, account: string, prices: Readonly<Record<string, string>>): Instance {
  const region = regionOf(d);
  const instanceType = d.size_slug;
  const price = Object.hasOwn(prices, instanceType) ? prices[instanceType] : undefined;
  return {
    id: String(d.id),
    account,
    region,
    zone: region,
    instanceType,
    state: STATES[d.status] ?? 'pending',
    addresses: addressesOf(d),
    tags: tagsFromNames(d.tags),
    createdAt: d.created_at,
    hourlyPrice: price ?? dollarsPerHour(d.size.price_hourly),
  };
}
