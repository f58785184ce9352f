/**
 * The AMI catalogue moto serves in every region (moto's MOTO_AMIS_PATH), in moto's amis.json format.
 *
 * moto's own catalogue has no Ubuntu 24.04, Debian 12 or recent Amazon Linux builds, so these stand
 * in for the publishers' images: the real owner accounts and naming conventions, so the adapter's
 * lookup by owner and name pattern runs unchanged — but INVENTED image ids. arm64 builds let an
 * arm64 type find its image.
 *
 * No creation_date: moto 5.2.1 parses it in place in the list it shares between regions, so the
 * second region's EC2 backend fails on an already-parsed date (HTTP 500 on every call there). moto
 * stamps each image with its load time instead; two Ubuntu 24.04 amd64 builds of one stamp leave
 * the adapter's tie-break (the later build name) to pick.
 */
interface MotoAmi {
  readonly ami_id: string;
  readonly name: string;
  readonly owner_id: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly description: string;
}

const CANONICAL = '099720109477';
const DEBIAN = '136693071363';
const AMAZON = '137112412989';

const IMAGES: readonly MotoAmi[] = [
  { ami_id: 'ami-0f00000000024041a', owner_id: CANONICAL, architecture: 'x86_64', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610', description: 'Canonical, Ubuntu, 24.04, amd64 noble image' },
  { ami_id: 'ami-0f00000000024040a', owner_id: CANONICAL, architecture: 'x86_64', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115', description: 'Canonical, Ubuntu, 24.04, amd64 noble image' },
  { ami_id: 'ami-0f00000000024041b', owner_id: CANONICAL, architecture: 'arm64', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610', description: 'Canonical, Ubuntu, 24.04, arm64 noble image' },
  { ami_id: 'ami-0f00000000012001a', owner_id: DEBIAN, architecture: 'x86_64', name: 'debian-12-amd64-20250520-2120', description: 'Debian 12 (20250520-2120)' },
  { ami_id: 'ami-0f00000000012001b', owner_id: DEBIAN, architecture: 'arm64', name: 'debian-12-arm64-20250520-2120', description: 'Debian 12 (20250520-2120)' },
  { ami_id: 'ami-0f00000000002023a', owner_id: AMAZON, architecture: 'x86_64', name: 'al2023-ami-2023.7.20250601.0-kernel-6.1-x86_64', description: 'Amazon Linux 2023 AMI' },
  { ami_id: 'ami-0f00000000002023b', owner_id: AMAZON, architecture: 'arm64', name: 'al2023-ami-2023.7.20250601.0-kernel-6.1-arm64', description: 'Amazon Linux 2023 AMI' },
];

/** The catalogue as moto reads it. */
export function motoAmisJson(): string {
  return JSON.stringify(
    IMAGES.map((i) => ({
      ...i,
      state: 'available',
      public: true,
      image_location: 'amazon/getting-started',
      image_type: 'machine',
      root_device_type: 'ebs',
      root_device_name: '/dev/sda1',
      virtualization_type: 'hvm',
      hypervisor: 'xen',
      sriov: 'simple',
      platform: null,
    })),
  );
}
