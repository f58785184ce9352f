/**
 * Strategy `software.os` → the public image family Google and the distributions publish
 * (https://cloud.google.com/compute/docs/images/os-details). Images are global, so the region
 * does not matter; the family resolves to its newest image when image() is called.
 * These are the amd64 families: an arm64 machine type (t2a, c4a) needs the `-arm64` family.
 */
const IMAGE_FAMILIES: Readonly<Record<string, { readonly project: string; readonly family: string }>> = {
  'ubuntu-24.04': { project: 'ubuntu-os-cloud', family: 'ubuntu-2404-lts-amd64' },
  'ubuntu-22.04': { project: 'ubuntu-os-cloud', family: 'ubuntu-2204-lts' },
  'debian-12': { project: 'debian-cloud', family: 'debian-12' },
  'debian-13': { project: 'debian-cloud', family: 'debian-13' },
  'rocky-9': { project: 'rocky-linux-cloud', family: 'rocky-linux-9' },
  'cos-stable': { project: 'cos-cloud', family: 'cos-stable' },
};

export function imageFamily(os: string): { project: string; family: string } | undefined {
  return Object.hasOwn(IMAGE_FAMILIES, os) ? IMAGE_FAMILIES[os] : undefined;
}
