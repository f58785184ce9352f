/**
 * Strategy `software.os` → DigitalOcean distribution image slug. DO names its public images
 * `<distribution>-<version with dashes>-x64` (ubuntu-24.04 → ubuntu-24-04-x64, debian-12 →
 * debian-12-x64); the exceptions are listed. The slug is only a guess until GET /v2/images/{slug}
 * confirms it exists in the region.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'centos-stream-9': 'centos-stream-9-x64',
  'rocky-9': 'rockylinux-9-x64',
  'rocky-8': 'rockylinux-8-x64',
  'alma-9': 'almalinux-9-x64',
};

/** The slug to look up for `os`, or undefined when `os` cannot name a DO image at all. */
export function imageSlugFor(os: string): string | undefined {
  if (Object.hasOwn(EXCEPTIONS, os)) return EXCEPTIONS[os];
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9.]+)*$/.test(os)) return undefined;
  return `${os.replace(/\./g, '-')}-x64`;
}
