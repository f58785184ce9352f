import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, Image } from '@aws-sdk/client-ec2';
import type { Arch } from '../types.js';

/** Where the images of one OS are published: the publisher's account and its name pattern per architecture. */
interface OsImages {
  readonly owner: string;
  readonly names: Readonly<Record<Arch, string>>;
}

/**
 * Strategy `software.os` → the publisher's images. Owners are the publishers' own accounts (never an
 * alias or the marketplace), so a look-alike image in another account is never picked.
 */
export const OS_IMAGES: Readonly<Record<string, OsImages>> = {
  'ubuntu-24.04': {
    owner: '099720109477', // Canonical
    names: { amd64: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*', arm64: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-*' },
  },
  'ubuntu-22.04': {
    owner: '099720109477',
    names: { amd64: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*', arm64: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-*' },
  },
  'debian-12': {
    owner: '136693071363', // Debian
    names: { amd64: 'debian-12-amd64-*', arm64: 'debian-12-arm64-*' },
  },
  'amazon-linux-2023': {
    owner: '137112412989', // Amazon
    names: { amd64: 'al2023-ami-2023.*-x86_64', arm64: 'al2023-ami-2023.*-arm64' },
  },
};

/** EC2's architecture names. */
export const EC2_ARCH: Readonly<Record<Arch, string>> = { amd64: 'x86_64', arm64: 'arm64' };

export function archOfEc2(value: string | undefined): Arch | undefined {
  return value === 'x86_64' ? 'amd64' : value === 'arm64' ? 'arm64' : undefined;
}

/** The newest available image of `os` for `arch` in the client's region, by CreationDate. */
export async function newestImage(client: EC2Client, os: string, arch: Arch): Promise<Image | undefined> {
  const entry = Object.hasOwn(OS_IMAGES, os) ? OS_IMAGES[os] : undefined;
  if (entry === undefined) return undefined;
  const out = await client.send(
    new DescribeImagesCommand({
      Owners: [entry.owner],
      Filters: [
        { Name: 'name', Values: [entry.names[arch]] },
        { Name: 'architecture', Values: [EC2_ARCH[arch]] },
        { Name: 'state', Values: ['available'] },
      ],
    }),
  );
  return newestOf(out.Images ?? []);
}

/**
 * The image with the latest CreationDate (ISO 8601 of one format, so it sorts as a string); of
 * equal dates the later name, since publishers put the build date in it.
 */
export function newestOf(images: readonly Image[]): Image | undefined {
  return images
    .filter((i) => i.ImageId !== undefined)
    .sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') || (b.Name ?? '').localeCompare(a.Name ?? ''))[0];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
}

/** The OS of the table an image belongs to (by owner and name), so its build for another architecture can be found. */
export function osOfImage(image: Pick<Image, 'OwnerId' | 'Name'>): string | undefined {
  return Object.entries(OS_IMAGES).find(
    ([, entry]) => entry.owner === image.OwnerId && Object.values(entry.names).some((glob) => globToRegExp(glob).test(image.Name ?? '')),
  )?.[0];
}
