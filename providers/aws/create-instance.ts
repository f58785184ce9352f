import { DescribeImagesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { _InstanceType, EC2Client, Instance as Ec2Instance, TagSpecification } from '@aws-sdk/client-ec2';
import { InvalidRequestError } from '../errors.js';
import { TAG_ATTEMPT, TAG_MACHINE } from '../types.js';
import type { Arch, CreateRequest } from '../types.js';
import { instanceTags } from '../instance-tags.js';
import { clientToken } from './client-token.js';
import { describeAll } from './describe-instances.js';
import { archOfEc2, newestImage, osOfImage } from './images.js';


/**
 * The instance an earlier call of this (machineUid, attempt) made, in any state (a retry returns it
 * even terminated, never a second one), found by tags because EC2 an hour after a termination no
 * longer answers a reused ClientToken with the old instance. The oldest wins should an EC2-compatible
 * endpoint without token dedupe have let two through.
 */
export async function findMadeBy(client: EC2Client, req: CreateRequest): Promise<Ec2Instance | undefined> {
  const filters = [
    { Name: `tag:${TAG_MACHINE}`, Values: [req.machineUid] },
    { Name: `tag:${TAG_ATTEMPT}`, Values: [String(req.attempt)] },
  ];
  const found = await describeAll(client, filters, 1000);
  return found.sort((a, b) => (a.LaunchTime?.getTime() ?? 0) - (b.LaunchTime?.getTime() ?? 0))[0];
}

/** A retry must ask for what the first call asked for; the token is a digest of exactly that. */
export function assertSameRequest(found: Ec2Instance, req: CreateRequest, account: string): void {
  const spot = found.InstanceLifecycle === 'spot';
  if (spot !== (req.capacityType === 'spot')) {
    throw new InvalidRequestError(`machine ${req.machineUid} attempt ${req.attempt} already made instance ${found.InstanceId ?? '?'} as ${spot ? 'spot' : 'on-demand'} capacity; this retry asks for ${req.capacityType ?? 'on-demand'}, so it needs a new attempt`, account);
  }
  if (found.ClientToken === clientToken(req)) return;
  throw new InvalidRequestError(
    `machine ${req.machineUid} attempt ${req.attempt} already made instance ${found.InstanceId ?? '?'} (${found.InstanceType ?? '?'} in ${found.Placement?.AvailabilityZone ?? '?'}); this retry asks for ${req.instanceType} in ${req.zone} with image ${req.image}, so it needs a new attempt`,
    account,
  );
}

/**
 * The image to launch: `req.image`, or its build for the type's architecture when the image is
 * one of images.ts's OS images built for the other one. image() resolves amd64 (one image per
 * region and OS is what the controller asks for), and an arm64 type cannot boot it; any other
 * image is the user's explicit choice, launched as given.
 */
export async function imageForArch(client: EC2Client, image: string, arch: Arch, account: string): Promise<string> {
  const out = await client.send(new DescribeImagesCommand({ ImageIds: [image] }));
  const described = out.Images?.[0];
  if (described === undefined || archOfEc2(described.Architecture) === arch) return image;
  const os = osOfImage(described);
  if (os === undefined) return image;
  const sibling = await newestImage(client, os, arch);
  if (sibling?.ImageId === undefined) throw new InvalidRequestError(`image ${image} (${os}) is built for ${described.Architecture ?? '?'} and ${os} has no ${arch} image in this region`, account);
  return sibling.ImageId;
}

export async function runInstance(client: EC2Client, req: CreateRequest, image: string): Promise<Ec2Instance | undefined> {
  const tags = Object.entries(instanceTags(req)).map(([Key, Value]) => ({ Key, Value }));
  const specs: TagSpecification[] = [
    { ResourceType: 'instance', Tags: tags },
    { ResourceType: 'volume', Tags: tags },
  ];
  const out = await client.send(
    new RunInstancesCommand({
      ClientToken: clientToken(req),
      ImageId: image,
      InstanceType: req.instanceType as _InstanceType,
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: req.zone },
      // A spot instance bought once and terminated, never stopped or hibernated, when EC2 takes it back.
      ...(req.capacityType === 'spot' ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } } } : {}),
      TagSpecifications: specs,
      ...(req.userData === undefined ? {} : { UserData: Buffer.from(req.userData, 'utf8').toString('base64') }),
    }),
  );
  return out.Instances?.[0];
}
