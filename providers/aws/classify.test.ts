import { describe, expect, it } from '@jest/globals';
import { AuthError, InvalidRequestError, ThrottledError } from '../errors.js';
import { classify, retryAfterMs, stableMessage } from './classify.js';

/** An error shaped as @aws-sdk/client-ec2 throws it for an EC2 error reply. */
function sdkError(name: string, status: number, message = `${name} happened`, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $response: { headers } });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

const ctx = { account: 'aws-east', action: 'RunInstances t3.micro in us-east-1a', accessKeyId: 'AKIAEXAMPLE', now: Date.parse('2026-01-01T00:00:00Z') };

describe('classify (EC2 errors → provider error classes)', () => {
  it.each([
    { error: sdkError('InsufficientInstanceCapacity', 500), kind: 'capacity' },
    { error: sdkError('InsufficientHostCapacity', 500), kind: 'capacity' },
    { error: sdkError('InstanceLimitExceeded', 400), kind: 'quota' },
    { error: sdkError('VcpuLimitExceeded', 400), kind: 'quota' },
    { error: sdkError('RequestLimitExceeded', 503), kind: 'throttled' },
    { error: sdkError('Throttling', 400), kind: 'throttled' },
    { error: sdkError('AuthFailure', 401), kind: 'auth' },
    { error: sdkError('UnauthorizedOperation', 403), kind: 'auth' },
    { error: sdkError('OptInRequired', 403), kind: 'auth' },
    { error: sdkError('InvalidParameterValue', 400), kind: 'invalidRequest' },
    { error: sdkError('InvalidParameterCombination', 400), kind: 'invalidRequest' },
    { error: sdkError('InvalidAMIID.NotFound', 400), kind: 'invalidRequest' },
    { error: sdkError('IdempotentParameterMismatch', 400), kind: 'invalidRequest' },
    { error: sdkError('IdempotentInstanceTerminated', 400), kind: 'invalidRequest' },
    { error: sdkError('InternalError', 500), kind: 'transient' },
    { error: sdkError('Unavailable', 503), kind: 'transient' },
    { error: sdkError('SomethingNew', 502), kind: 'transient' },
    { error: sdkError('SomethingNew', 400), kind: 'invalidRequest' },
    { error: networkError('ECONNREFUSED'), kind: 'transient' },
    { error: networkError('ECONNRESET'), kind: 'transient' },
    { error: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), kind: 'transient' },
    { error: new Error('@aws-sdk XML parse error: mismatched tags <html> and </title>'), kind: 'transient' },
  ])('$error.name ($error.message) → $kind', ({ error, kind }) => {
    const e = classify(error, ctx);
    expect(e.kind).toBe(kind);
    expect(e.account).toBe('aws-east');
    expect(e.message).toContain('RunInstances t3.micro in us-east-1a');
  });

  it('names the access key id and what to check on auth errors, and keeps the SDK error (and its message) out', () => {
    const e = classify(sdkError('AuthFailure', 401, 'credential scope mentions s3cr3t'), ctx);
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).toContain('access key id AKIAEXAMPLE');
    expect(e.message).toContain('IAM policy');
    expect(e.message).not.toContain('s3cr3t');
    expect(e.cause).toBeUndefined();
    const chain = classify(sdkError('AuthFailure', 401), { ...ctx, accessKeyId: undefined });
    expect(chain.message).toContain("the credentials of the SDK's default chain");
  });

  it('gives ThrottledError a wait only when EC2 sent Retry-After', () => {
    const told = classify(sdkError('RequestLimitExceeded', 503, 'slow down', { 'retry-after': '3' }), ctx);
    expect(told).toBeInstanceOf(ThrottledError);
    expect((told as ThrottledError).retryAfterMs).toBe(3000);
    expect((classify(sdkError('RequestLimitExceeded', 503), ctx) as ThrottledError).retryAfterMs).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores garbage', () => {
    expect(retryAfterMs('1.5', 0)).toBe(1500);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('Thu, 01 Jan 2025 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(0);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });

  it('keeps request ids and timestamps out of messages, so one cause always reads the same', () => {
    const at = (requestId: string, time: string): string =>
      classify(sdkError('InternalError', 500, `An internal error has occurred. Request ID: ${requestId} at ${time}`), ctx).message;
    const first = at('5f0e6a0c-1b2d-4c3e-9f4a-0b1c2d3e4f50', '2026-01-01T10:00:00.123Z');
    expect(at('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', '2026-01-02T11:30:00Z')).toBe(first);
    expect(first).not.toMatch(/5f0e6a0c|2026/);
    expect(first).toContain('An internal error has occurred');
    expect(stableMessage('RequestId: 7c1d2e3f-aaaa-bbbb-cccc-0123456789ab; X-Amz-Date 20260101T100000Z; Date: Thu, 01 Jan 2026 00:00:10 GMT')).toBe('request id; X-Amz-Date …; Date: …');
    expect(stableMessage("The instance ID 'i-0123456789abcdef0' does not exist")).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
  });

  it('names a redirect as one, and as a problem of the endpoint', () => {
    const e = classify(sdkError('Unknown', 307, 'Unknown'), ctx);
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect(e.message).toContain('the EC2 endpoint answered with a redirect (HTTP 307), which polyfleet does not follow');
  });
});
