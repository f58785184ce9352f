import { describe, expect, it } from '@jest/globals';
import { AuthError, CapacityError, InvalidRequestError, QuotaError, ThrottledError, TransientError } from '../errors.js';
import { classifyDigitalOceanError, stableText } from './classify.js';

const NOW = 1_800_000_000_000;
const TOKEN = 'dop_v1_0123456789abcdef';

/** What axios rejects with when DigitalOcean answers: the request config carries the token. */
function refusal(status: number, data: unknown, headers: Record<string, string> = {}): unknown {
  return { isAxiosError: true, message: `Request failed with status code ${status}`, config: { headers: { Authorization: `Bearer ${TOKEN}` } }, response: { status, data, headers } };
}

const body = (id: string, message: string): unknown => ({ id, message, request_id: 'r-1' });

describe('classifyDigitalOceanError', () => {
  it.each([
    { name: '401 unauthorized', e: refusal(401, body('Unauthorized', 'Unable to authenticate you')), kind: AuthError },
    { name: '403 forbidden', e: refusal(403, body('Forbidden', 'You are not authorized to perform this operation')), kind: AuthError },
    { name: '429 too_many_requests', e: refusal(429, body('too_many_requests', 'API Rate limit exceeded.')), kind: ThrottledError },
    { name: '422 size not in region', e: refusal(422, body('unprocessable_entity', 'Size is not available in this region.')), kind: CapacityError },
    { name: '422 region unavailable', e: refusal(422, body('unprocessable_entity', 'Region is not available.')), kind: CapacityError },
    { name: '422 droplet limit', e: refusal(422, body('unprocessable_entity', 'creating this/these droplet(s) will exceed your droplet limit')), kind: QuotaError },
    { name: '422 invalid image', e: refusal(422, body('unprocessable_entity', 'You specified an invalid image for Droplet creation.')), kind: InvalidRequestError },
    { name: '400 bad request', e: refusal(400, body('bad_request', 'bad')), kind: InvalidRequestError },
    { name: '404 (not a get/delete)', e: refusal(404, body('not_found', 'The resource you were accessing could not be found.')), kind: InvalidRequestError },
    { name: '500 server_error', e: refusal(500, body('server_error', 'Server was unable to give you a response.')), kind: TransientError },
    { name: '503 with an HTML body', e: refusal(503, '<html>upstream</html>'), kind: TransientError },
    { name: 'connection refused', e: { isAxiosError: true, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }, kind: TransientError },
    { name: 'timeout', e: { isAxiosError: true, code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' }, kind: TransientError },
  ])('$name → $kind.name', ({ e, kind }) => {
    const error = classifyDigitalOceanError(e, 'create', 'do-east', NOW);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toContain('provider account "do-east"');
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as Error).cause).toBeUndefined();
  });

  it('says what to check on a refused token, and which call it was', () => {
    const error = classifyDigitalOceanError(refusal(401, body('Unauthorized', 'Unable to authenticate you')), 'list', 'do-east', NOW) as AuthError;
    expect(error.message).toMatch(/list answered 401 Unauthorized: Unable to authenticate you/);
    expect(error.message).toMatch(/check the token and its scopes/);
  });

  it('takes the wait of a 429 from Retry-After, else from ratelimit-reset when the hourly budget ran out, else leaves it to the back-off', () => {
    const withRetryAfter = classifyDigitalOceanError(refusal(429, body('too_many_requests', 'x'), { 'retry-after': '7', 'ratelimit-reset': String(NOW / 1000 + 60) }), 'get', 'a', NOW);
    const withReset = classifyDigitalOceanError(refusal(429, body('too_many_requests', 'x'), { 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 42) }), 'get', 'a', NOW);
    const perMinute = classifyDigitalOceanError(refusal(429, body('too_many_requests', 'x'), { 'ratelimit-remaining': '4000', 'ratelimit-reset': String(NOW / 1000 + 3000) }), 'get', 'a', NOW);
    const withNeither = classifyDigitalOceanError(refusal(429, body('too_many_requests', 'x')), 'get', 'a', NOW);
    expect(perMinute).toMatchObject({ retryAfterMs: undefined });
    expect(withRetryAfter).toMatchObject({ retryAfterMs: 7_000 });
    expect(withReset).toMatchObject({ retryAfterMs: 42_000 });
    expect(withNeither).toMatchObject({ retryAfterMs: undefined });
  });

  it('words one cause the same every time: the request_id and any id or time in the message are left out', () => {
    const answer = (requestId: string, at: string): unknown =>
      refusal(500, { id: 'server_error', message: `Server was unable to give you a response (ref ${requestId} at ${at}).`, request_id: requestId });
    const a = classifyDigitalOceanError(answer('0b2d4f6a-1c3e-4a5b-8c7d-9e0f1a2b3c4d', '2026-12-06T19:12:16Z'), 'list', 'do-east', NOW) as Error;
    const b = classifyDigitalOceanError(answer('ffffffff-0000-4000-8000-000000000000', '2026-12-07T01:02:03.456Z'), 'list', 'do-east', NOW) as Error;
    expect(a.message).toBe(b.message);
    expect(a.message).toContain('DigitalOcean list answered 500 server_error: Server was unable to give you a response (ref … at …).');
    expect(a.message).not.toContain('request_id');
    expect(stableText('Size is not available in this region.')).toBe('Size is not available in this region.');
  });

  it.each([301, 302, 307, 308])('calls a %i redirect an invalid endpoint, naming the endpoint and never the token or the path', (status) => {
    const redirect = { ...(refusal(status, '', { location: 'http://evil.example/v2/regions' }) as object), config: { baseURL: 'http://127.0.0.1:8443/v2', url: '/regions', headers: { Authorization: `Bearer ${TOKEN}` } } };
    const error = classifyDigitalOceanError(redirect, 'regions', 'do-east', NOW) as Error;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain(`DigitalOcean regions: http://127.0.0.1:8443 answered HTTP ${status}, a redirect, which polyfleet does not follow`);
    expect(error.message).not.toMatch(new RegExp(`${TOKEN}|evil\\.example|/v2`));
  });

  it('passes a bug of ours through unchanged instead of calling it the cloud', () => {
    const bug = new TypeError('x is undefined');
    expect(classifyDigitalOceanError(bug, 'get', 'a', NOW)).toBe(bug);
  });
});
