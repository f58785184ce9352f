import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { _InstanceType } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '../../providers/aws/index.js';
import type { AwsProviderOptions } from '../../providers/aws/index.js';
import { describeProviderContract, type ProviderHarness } from '../../providers/contract.js';
import { describeControllerSafety } from './controller-safety.js';
import type { InjectableOp } from '../../providers/contract.js';
import { AuthError, InvalidRequestError, ProviderFault } from '../../providers/errors.js';
import type { ProviderErrorKind } from '../../providers/errors.js';
import { TAG_MANAGED_BY } from '../../providers/types.js';
import type { CreateRequest } from '../../providers/types.js';
import type { Ec2ErrorReply } from '../fakes/aws-front.js';
import { findMotoServer, startMoto } from '../fakes/moto.js';
import type { Moto } from '../fakes/moto.js';
import { closeServer, recordingServer, settledWithin } from '../fakes/redirect-servers.js';

/** The EC2 action each Provider call ends in, where the suite injects its error. */
const ACTIONS: Record<InjectableOp, string> = {
  create: 'RunInstances',
  get: 'DescribeInstances',
  list: 'DescribeInstances',
  delete: 'TerminateInstances',
  offerings: 'DescribeInstanceTypeOfferings',
};

/** EC2's own error of each class, with the HTTP status EC2 sends it with (EC2 API reference, "Error codes"). */
const ERRORS: Record<ProviderErrorKind, Ec2ErrorReply> = {
  capacity: { status: 500, code: 'InsufficientInstanceCapacity', message: 'We currently do not have sufficient t3.micro capacity in the Availability Zone you requested.' },
  quota: { status: 400, code: 'VcpuLimitExceeded', message: 'You have requested more vCPU capacity than your current vCPU limit of 32 allows.' },
  throttled: { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' },
  auth: { status: 403, code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' },
  invalidRequest: { status: 400, code: 'InvalidParameterValue', message: 'Value (zz) for parameter instanceType is invalid.' },
  transient: { status: 500, code: 'InternalError', message: 'An internal error has occurred.' },
};

const ACCESS_KEY_ID = 'AKIAPOLYFLEETCONTRACT';
const SECRET = 'polyfleet-contract-secret-access-key';
/** Two regions keep the suite's every-region loops short; moto serves 38. */
const REGIONS = ['us-east-1', 'eu-west-1'];
const PAGE_SIZE = 5;

// Each test makes a dozen EC2 calls and a moto reset; on a shared 2-core machine that can take seconds.
jest.setTimeout(60_000);

let moto: Moto;
/** A plain SDK client on moto, for what the suite does behind the adapter's back. */
const ec2Client = (region: string): EC2Client =>
  new EC2Client({ region, endpoint: moto.endpoint, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, maxAttempts: 1 });
beforeAll(async () => {
  moto = await startMoto({ accessKeys: { [ACCESS_KEY_ID]: SECRET } });
}, 90_000);
afterAll(async () => {
  await moto.stop();
});

const awsHarness: ProviderHarness = {
  pageSize: PAGE_SIZE,
  missingInstanceId: 'i-0123456789abcdef0',
  keepsDeletedInstances: true,
  async open() {
    // One moto for the file (it takes seconds to start), emptied for every fixture.
    await moto.reset();
    const account = 'aws-contract';
    const make = (secretAccessKey: string, regions: readonly string[] = REGIONS): AwsProvider =>
      new AwsProvider({ account, endpoint: moto.endpoint, regions, pageSize: PAGE_SIZE, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey } });
    const provider = make(SECRET);
    return {
      provider,
      inject: (op, kind) => {
        moto.inject(ACTIONS[op], ERRORS[kind]);
      },
      withCredential: (secret) => make(secret),
      reopen: () => make(SECRET),
      // EC2's own StopInstances, in the instance's region, as the console or a retirement stops one.
      stop: async (id) => {
        const region = (await provider.get(id))?.region;
        if (region === undefined) throw new Error(`no instance ${id} to stop`);
        await ec2Client(region).send(new StopInstancesCommand({ InstanceIds: [id] }));
      },
      withRegions: (regions) => make(SECRET, regions),
      close: () => Promise.resolve(),
    };
  },
};

describeProviderContract('aws', awsHarness);
describeControllerSafety('aws', awsHarness);

describe('AwsProvider on moto, beyond the contract', () => {
  const account = 'aws-extra';
  const provider = (over: Partial<AwsProviderOptions> = {}): AwsProvider =>
    new AwsProvider({ account, endpoint: moto.endpoint, regions: REGIONS, pageSize: PAGE_SIZE, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }, ...over });
  const ec2 = ec2Client;
  const request = (machineUid: string, over: Partial<CreateRequest>): CreateRequest => ({
    machineUid, attempt: 1, managedBy: 'extra', pool: 'p', namespace: 'default', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', image: '', ...over,
  });

  beforeEach(async () => {
    await moto.reset();
  });

  it('resolves an OS to its newest amd64 image, and launches the arm64 build of it on an arm64 type', async () => {
    const p = provider();
    const image = await p.image('us-east-1', 'ubuntu-24.04');
    expect(image).toBe('ami-0f00000000024041a');
    expect(await p.image('eu-west-1', 'debian-12')).toBe('ami-0f00000000012001a');
    const arm = (await p.offerings('us-east-1')).find((o) => o.instanceType === 't4g.micro');
    expect(arm).toMatchObject({ arch: 'arm64', cpu: 2, memoryGiB: 1, hourlyPrice: '0.0084' });
    const created = await p.create(request('arm-1', { instanceType: 't4g.micro', image: image ?? '' }));
    const described = await ec2('us-east-1').send(new DescribeInstancesCommand({ InstanceIds: [created.id] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.ImageId).toBe('ami-0f00000000024041b');
    expect((await p.create(request('arm-1', { instanceType: 't4g.micro', image: image ?? '' }))).id).toBe(created.id);
  });

  it("offers a type the shipped table lacks once the account prices it, and the account's price wins", async () => {
    const before = await provider().offerings('us-east-1');
    expect(before.map((o) => o.instanceType)).not.toContain('m7i.large');
    const priced = await provider({ prices: { 'm7i.large': '0.1', 't3.micro': '0.009' } }).offerings('us-east-1');
    expect(priced.find((o) => o.instanceType === 'm7i.large')).toMatchObject({ hourlyPrice: '0.1', cpu: 2, memoryGiB: 8, arch: 'amd64', diskGiB: 8 });
    expect(priced.find((o) => o.instanceType === 't3.micro')?.hourlyPrice).toBe('0.009');
  });

  it('lists and finds instances in every region of the account, and deletes one in its own region', async () => {
    const p = provider();
    const east = await p.create(request('r-1', { image: (await p.image('us-east-1', 'ubuntu-24.04')) ?? '' }));
    const west = await p.create(request('r-2', { region: 'eu-west-1', zone: 'eu-west-1b', image: (await p.image('eu-west-1', 'ubuntu-24.04')) ?? '' }));
    expect((await p.list({ managedBy: 'extra' })).map((i) => `${i.region}/${i.zone}`).sort()).toEqual(['eu-west-1/eu-west-1b', 'us-east-1/us-east-1a']);
    expect(await p.get(west.id)).toMatchObject({ region: 'eu-west-1', state: 'running', hourlyPrice: '0.0114' });
    await p.delete(west.id);
    expect((await p.list({ managedBy: 'extra' })).map((i) => i.id)).toEqual([east.id]);
  });

  it('refuses half a key pair with AuthError naming the missing key, before calling EC2', async () => {
    const half = new AwsProvider({ account, endpoint: moto.endpoint, credentials: { accessKeyId: ACCESS_KEY_ID } });
    await expect(half.regions()).rejects.toThrow(new AuthError('the account\'s credentials have no secretAccessKey (give accessKeyId and secretAccessKey together, or neither for the SDK\'s default chain)', account));
  });

  it('keeps EC2\'s ClientToken promise on its test endpoint: one launch per token, another request under it refused', async () => {
    // moto 5.2.1 launches again for a known token; the front before it (aws-client-tokens.ts) answers as EC2 does.
    const client = ec2('us-east-1');
    const run = (instanceType: _InstanceType): Promise<string | undefined> =>
      client
        .send(new RunInstancesCommand({ ClientToken: 'same-token', ImageId: 'ami-0f00000000024041a', InstanceType: instanceType, MinCount: 1, MaxCount: 1 }))
        .then((out) => out.Instances?.[0]?.InstanceId);
    const [first, second] = await Promise.all([run('t3.micro'), run('t3.micro')]);
    expect(first).toMatch(/^i-/);
    expect(second).toBe(first);
    await expect(run('t3.small')).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
  });

  it('refuses an offering of a region the account does not use', async () => {
    await expect(provider().offerings('ap-south-1')).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('lists, gets and deletes in a region EC2 has and the account does not use, and refuses a malformed region name', async () => {
    const p = provider();
    const image = (await p.image('us-east-1', 'ubuntu-24.04')) ?? '';
    const outside = await ec2('ap-south-1').send(new RunInstancesCommand({ ImageId: 'ami-0f00000000024041a', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: TAG_MANAGED_BY, Value: 'extra' }] }] }));
    const id = outside.Instances?.[0]?.InstanceId ?? '';
    expect((await p.list({ managedBy: 'extra' })).map((i) => i.id)).toEqual([]);
    expect((await p.list({ managedBy: 'extra', region: 'ap-south-1' })).map((i) => [i.id, i.region])).toEqual([[id, 'ap-south-1']]);
    expect(await p.get(id)).toBeUndefined();
    expect(await p.get(id, 'ap-south-1')).toMatchObject({ id, region: 'ap-south-1', state: 'running' });
    await p.delete(id, 'ap-south-1');
    expect(await p.get(id, 'ap-south-1')).toMatchObject({ state: 'terminated' });
    expect(await p.list({ managedBy: 'extra', region: 'ap-south-1' })).toEqual([]);
    await expect(p.create(request('r-out', { region: 'ap-south-1', zone: 'ap-south-1a', image }))).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(p.get(id, 'https://elsewhere.example/')).rejects.toThrow(/is not an AWS region name/);
    await expect(p.list({ managedBy: 'extra', region: 'Mars' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('finds its earlier instance of a (machine, attempt) after its managed-by identity changed, and never makes a second one', async () => {
    const image = (await provider().image('us-east-1', 'ubuntu-24.04')) ?? '';
    const before = await provider().create(request('renamed-1', { image, managedBy: 'polyfleet-v1' }));
    const after = await provider().create(request('renamed-1', { image, managedBy: 'polyfleet-v2' }));
    expect(after.id).toBe(before.id);
    expect(after.tags[TAG_MANAGED_BY]).toBe('polyfleet-v1');
    const all = await ec2('us-east-1').send(new DescribeInstancesCommand({}));
    expect((all.Reservations ?? []).flatMap((r) => r.Instances ?? [])).toHaveLength(1);
  });

  it('terminates a stopped instance, and reads the stop with its reason and without a timestamp', async () => {
    const p = provider();
    const created = await p.create(request('stop-1', { image: (await p.image('us-east-1', 'ubuntu-24.04')) ?? '' }));
    await ec2('us-east-1').send(new StopInstancesCommand({ InstanceIds: [created.id] }));
    const stopped = await p.get(created.id, 'us-east-1');
    expect(stopped?.state).toBe('stopped');
    expect(stopped?.stateReason).toBeDefined();
    expect(stopped?.stateReason ?? '').not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await p.delete(created.id);
    expect(['terminating', 'terminated']).toContain((await p.get(created.id))?.state);
    expect(await p.list({ managedBy: 'extra' })).toEqual([]);
  });
});

describe('AwsProvider and redirects', () => {
  const server = recordingServer;
  const close = closeServer;
  const settled = settledWithin;

  it.each([307, 302])('follows no HTTP %i: the target never sees a signed request or the key, and every call rejects with a ProviderError', async (status) => {
    const target = await server(() => ({ status: 200 }));
    const redirector = await server((url) => ({ status, headers: { location: `${target.url}${url}` } }));
    try {
      const p = new AwsProvider({ account: 'aws-redirect', endpoint: redirector.url, regions: ['us-east-1'], credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET } });
      const calls: (() => Promise<unknown>)[] = [
        () => p.regions(),
        () => p.list({ managedBy: 'x', region: 'us-east-1' }),
        () => p.get('i-0123456789abcdef0', 'us-east-1'),
        () => p.delete('i-0123456789abcdef0', 'us-east-1'),
        () => p.create({ machineUid: 'm', attempt: 1, managedBy: 'x', pool: 'p', namespace: 'n', region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', image: 'ami-1' }),
      ];
      for (const call of calls) {
        const outcome = await settled(call(), 10_000);
        expect(outcome).toBeInstanceOf(ProviderFault);
        expect(outcome).toMatchObject({ kind: 'invalidRequest', message: expect.stringContaining(`redirect (HTTP ${status})`) });
      }
      expect(redirector.seen.length).toBeGreaterThan(0);
      expect(redirector.seen.every((h) => typeof h.authorization === 'string' && h.authorization.startsWith('AWS4-HMAC-SHA256'))).toBe(true);
      const leaked = target.seen.filter((h) => h.authorization !== undefined || Object.keys(h).some((k) => k.startsWith('x-amz-')) || JSON.stringify(h).includes(ACCESS_KEY_ID));
      expect(leaked).toEqual([]);
      expect(target.seen).toEqual([]);
    } finally {
      await close(redirector.server);
      await close(target.server);
    }
  });
});

describe('findMotoServer', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'polyfleet-moto-home-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('says how to install moto when it finds none', () => {
    expect(() => findMotoServer({ PATH: join(home, 'bin'), HOME: home })).toThrow(/moto_server not found .*pip install 'moto\[server\]==5\.2\.1'.*\.ci\/run/);
  });

  it('finds the venv .ci/run makes when PATH has no moto_server, and prefers $POLYFLEET_MOTO_SERVER to it', async () => {
    const venv = join(home, '.cache/polyfleet/moto/bin');
    await mkdir(venv, { recursive: true });
    await writeFile(join(venv, 'moto_server'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findMotoServer({ PATH: '', HOME: home })).toBe(join(venv, 'moto_server'));
    await writeFile(join(home, 'elsewhere'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findMotoServer({ PATH: '', HOME: home, POLYFLEET_MOTO_SERVER: join(home, 'elsewhere') })).toBe(join(home, 'elsewhere'));
  });
});
