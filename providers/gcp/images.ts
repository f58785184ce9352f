import type { Arch } from '../types.js';

/**
 * Strategy `software.os` → the public image families Google and the distributions publish
 * (https://cloud.google.com/compute/docs/images/os-details), one per CPU architecture. Images are
 * global, so the region does not matter.
 *
 * image() returns the amd64 family's URL, which instances.insert accepts and resolves to the
 * family's newest image when the instance is made; create() swaps it for the arm64 family of the
 * same os when the machine type is Arm (t2a, c4a), because GCE refuses an x86 boot disk there and
 * the Provider's image() is asked per region, not per machine type.
 */
interface OsImages {
  readonly project: string;
  readonly amd64: string;
  readonly arm64?: string;
}

const OS_IMAGES: Readonly<Record<string, OsImages>> = {
  'ubuntu-24.04': { project: 'ubuntu-os-cloud', amd64: 'ubuntu-2404-lts-amd64', arm64: 'ubuntu-2404-lts-arm64' },
  'ubuntu-22.04': { project: 'ubuntu-os-cloud', amd64: 'ubuntu-2204-lts', arm64: 'ubuntu-2204-lts-arm64' },
  'debian-12': { project: 'debian-cloud', amd64: 'debian-12', arm64: 'debian-12-arm64' },
  'debian-13': { project: 'debian-cloud', amd64: 'debian-13', arm64: 'debian-13-arm64' },
  'rocky-9': { project: 'rocky-linux-cloud', amd64: 'rocky-linux-9', arm64: 'rocky-linux-9-arm64' },
  'cos-stable': { project: 'cos-cloud', amd64: 'cos-stable', arm64: 'cos-arm64-stable' },
};

export function imageFamily(os: string): { project: string; family: string } | undefined {
  const images = Object.hasOwn(OS_IMAGES, os) ? OS_IMAGES[os] : undefined;
  return images === undefined ? undefined : { project: images.project, family: images.amd64 };
}

/** The family URL of an image's selfLink: `…/projects/P/global/images/NAME` → `…/projects/P/global/images/family/F`. */
export function familyUrl(imageSelfLink: string, family: string): string {
  return `${imageSelfLink.slice(0, imageSelfLink.lastIndexOf('/'))}/family/${family}`;
}

const FAMILY_URL = /^(.*\/projects\/([^/]+)\/global\/images\/family\/)([^/]+)$/;

/** The image to boot `arch` from: an amd64 family URL of ours becomes its arm64 sibling; anything else is used as given. */
export function imageForArch(image: string, arch: Arch): string {
  const match = arch === 'arm64' ? FAMILY_URL.exec(image) : null;
  if (match === null) return image;
  const [, prefix = '', project, family] = match;
  const sibling = Object.values(OS_IMAGES).find((i) => i.project === project && i.amd64 === family)?.arm64;
  return sibling === undefined ? image : `${prefix}${sibling}`;
}
