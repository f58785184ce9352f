import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client, Filter, Instance as Ec2Instance } from '@aws-sdk/client-ec2';

/** Every state but terminated: what list() returns (the Provider contract). */
export const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

/** Every instance matching `filters`, across every page (`pageSize` per DescribeInstances call; EC2 takes 5–1000). */
export async function describeAll(client: EC2Client, filters: Filter[], pageSize: number): Promise<Ec2Instance[]> {
  const out: Ec2Instance[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: pageSize, NextToken: token }));
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** EC2's answers for an id this region has no instance of. */
const NOT_FOUND = new Set(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);

export function isNotFound(err: unknown): boolean {
  return err instanceof Error && NOT_FOUND.has(err.name);
}

/** The instance `id` in the client's region, or undefined where EC2 says it does not exist. */
export async function describeOne(client: EC2Client, id: string): Promise<Ec2Instance | undefined> {
  try {
    const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === id);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
