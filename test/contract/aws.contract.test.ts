import { afterAll, beforeAll } from '@jest/globals';
import type { ProviderErrorKind } from '../../providers/errors.js';
import { describeProviderContract } from '../../providers/contract.js';
import type { InjectableOp } from '../../providers/contract.js';
import { AwsProvider } from '../../providers/aws/index.js';
import type { Ec2ErrorReply } from '../fakes/aws-front.js';
import { startMoto } from '../fakes/moto.js';
import type { Moto } from '../fakes/moto.js';

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

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto({ accessKeys: { [ACCESS_KEY_ID]: SECRET } });
}, 90_000);
afterAll(async () => {
  await moto.stop();
});

describeProviderContract('aws', {
  pageSize: PAGE_SIZE,
  missingInstanceId: 'i-0123456789abcdef0',
  // moto stores a RunInstances ClientToken but does not dedupe on it (checked with moto 5.2.1), so
  // concurrent creates of one key are not atomic here, though they are on EC2.
  atomicIdempotency: false,
  keepsDeletedInstances: true,
  async open() {
    // One moto for the file (it takes seconds to start), emptied for every fixture.
    await moto.reset();
    const account = 'aws-contract';
    const make = (secretAccessKey: string): AwsProvider =>
      new AwsProvider({ account, endpoint: moto.endpoint, regions: REGIONS, pageSize: PAGE_SIZE, credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey } });
    return {
      provider: make(SECRET),
      inject: (op, kind) => {
        moto.inject(ACTIONS[op], ERRORS[kind]);
      },
      withCredential: (secret) => make(secret),
      reopen: () => make(SECRET),
      close: () => Promise.resolve(),
    };
  },
});
