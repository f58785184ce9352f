import { describe, expect, it } from '@jest/globals';
import { classifyGceError, classifyOperationError, isConflict, isNotFound, stableText } from './classify.js';

/** An error as gaxios throws it for an HTTP error: code/status, the body as text, and the request config. */
function httpError(status: number, reason: string | undefined, message: string, headers: Record<string, string> = {}): unknown {
  const data = JSON.stringify({ error: { code: status, message, errors: reason === undefined ? [] : [{ reason, domain: 'global', message }] } });
  return {
    code: status,
    status,
    message: data,
    response: { status, data, headers: new Headers(headers) },
    config: { headers: { Authorization: 'Bearer secret-token-123' } },
  };
}

describe('GCE error classification', () => {
  it.each([
    [429, 'rateLimitExceeded', 'throttled'],
    [403, 'rateLimitExceeded', 'throttled'],
    [403, 'userRateLimitExceeded', 'throttled'],
    [403, 'quotaExceeded', 'quota'],
    [403, 'forbidden', 'auth'],
    [401, 'authError', 'auth'],
    [400, 'invalid', 'invalidRequest'],
    [404, 'notFound', 'invalidRequest'],
    [400, 'resourceNotReady', 'transient'],
    [500, 'backendError', 'transient'],
    [503, undefined, 'transient'],
  ] as const)('HTTP %i %s → %s', (status, reason, kind) => {
    expect(classifyGceError(httpError(status, reason, 'what Google said'), 'instances.get x', 'gcp-a')).toMatchObject({ kind, account: 'gcp-a' });
  });

  it('names the call, status, reason and message, and keeps the token and the SDK error out', () => {
    const e = classifyGceError(httpError(401, 'authError', 'Request had invalid authentication credentials.'), 'regions.list', 'gcp-a');
    expect(e.message).toContain('provider account "gcp-a": regions.list: HTTP 401 authError: Request had invalid authentication credentials.');
    expect(e.message).toContain('roles/compute.instanceAdmin.v1');
    expect(`${e.message} ${e.stack ?? ''}`).not.toContain('secret-token-123');
    expect(e.cause).toBeUndefined();
  });

  it('reads the body from the message, where the SDK\'s REST transport puts it, so a 403 quotaExceeded is quota, not auth', () => {
    const body = JSON.stringify({ error: { code: 403, message: "Quota 'CPUS' exceeded.", errors: [{ reason: 'quotaExceeded', domain: 'usageLimits' }] } });
    const sdk = { code: 403, status: 403, message: body, response: { status: 403, headers: new Headers() } };
    expect(classifyGceError(sdk, 'instances.insert', 'gcp-a')).toMatchObject({ kind: 'quota', message: expect.stringContaining("HTTP 403 quotaExceeded: Quota 'CPUS' exceeded.") });
  });

  it('reads Retry-After of a 429 into retryAfterMs', () => {
    expect(classifyGceError(httpError(429, 'rateLimitExceeded', 'slow down', { 'retry-after': '2' }), 'instances.list', 'gcp-a')).toMatchObject({ kind: 'throttled', retryAfterMs: 2000 });
  });

  it('classifies a refused service-account key at the token endpoint as auth, and a dropped connection as transient', () => {
    const oauth = { status: 400, response: { status: 400, data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } } };
    expect(classifyGceError(oauth, 'regions.list', 'gcp-a')).toMatchObject({ kind: 'auth' });
    expect(classifyGceError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'regions.list', 'gcp-a')).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('could not reach the Compute Engine API (ECONNREFUSED)'),
    });
  });

  it.each([
    ['ZONE_RESOURCE_POOL_EXHAUSTED', 503, 'capacity'],
    ['ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS', 503, 'capacity'],
    ['QUOTA_EXCEEDED', 403, 'quota'],
    ['RESOURCE_OPERATION_RATE_EXCEEDED', 403, 'throttled'],
    ['SOMETHING_NEW', 400, 'invalidRequest'],
    ['SOMETHING_NEW', 503, 'transient'],
  ] as const)('failed operation %s (HTTP %i) → %s', (code, status, kind) => {
    const e = classifyOperationError({ errors: [{ code, message: 'details' }] }, status, 'instances.insert e2-micro in us-central1-a', 'gcp-a');
    expect(e).toMatchObject({ kind, account: 'gcp-a' });
    expect(e.message).toContain(`instances.insert e2-micro in us-central1-a: operation failed with ${code}: details`);
  });

  it('words one cause the same every time: per-request codes, request ids, operation names and times are left out', () => {
    const said = (code: string, id: string, op: string, at: string): string =>
      `Internal error. Please try again or contact Google Support. (Code: '${code}') request ${id} in ${op} at ${at}`;
    const a = classifyGceError(httpError(500, 'backendError', said('-7541069345213046424', '0b2d4f6a-1c3e-4a5b-8c7d-9e0f1a2b3c4d', 'operation-1700000000000-5f4c3b2a1-0e9d8c7b-6a5f4e3d', '2026-12-06T19:12:16.123-08:00')), 'instances.list', 'gcp-a');
    const b = classifyGceError(httpError(500, 'backendError', said('4411', 'ffffffff-0000-4000-8000-000000000000', 'operation-1800000000000-aaaa-bbbb', '2026-12-07T01:00:00Z')), 'instances.list', 'gcp-a');
    expect(a.message).toBe(b.message);
    expect(a.message).toContain('Internal error. Please try again or contact Google Support. request … in operation at …');
    const op = (code: string): string => classifyOperationError({ errors: [{ code: 'INTERNAL_ERROR', message: `Internal error. (Code: '${code}')` }] }, 500, 'instances.insert e2-micro in us-central1-a', 'gcp-a').message;
    expect(op('1')).toBe(op('2'));
    expect(stableText("The resource 'projects/p/zones/z/instances/pf-1-a1' is not ready")).toBe("The resource 'projects/p/zones/z/instances/pf-1-a1' is not ready");
  });

  it('calls a redirect an invalid endpoint, naming the endpoint and never the token or the path', () => {
    const redirect = { code: 307, status: 307, message: '', config: { url: new URL('http://127.0.0.1:8443/compute/v1/projects/p/regions?pageToken=x'), headers: { Authorization: 'Bearer secret-token-123' } }, response: { status: 307, headers: new Headers({ location: 'http://evil.example/' }) } };
    const e = classifyGceError(redirect, 'regions.list', 'gcp-a');
    expect(e).toMatchObject({ kind: 'invalidRequest' });
    expect(e.message).toContain('regions.list: http://127.0.0.1:8443 answered HTTP 307, a redirect, which polyfleet does not follow');
    expect(e.message).not.toMatch(/secret-token-123|evil\.example|pageToken|compute\/v1/);
  });

  it('tells a 404 and a 409 apart from other errors', () => {
    expect(isNotFound(httpError(404, 'notFound', 'x'))).toBe(true);
    expect(isNotFound(httpError(409, 'alreadyExists', 'x'))).toBe(false);
    expect(isConflict(httpError(409, 'alreadyExists', 'x'))).toBe(true);
    expect(isNotFound(new Error('x'))).toBe(false);
  });
});
