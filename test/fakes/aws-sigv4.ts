import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * AWS Signature Version 4 checking for the EC2 front: moto accepts any signature, and real EC2
 * refuses a wrong secret with AuthFailure, which is the behaviour the contract suite checks.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

interface Authorization {
  readonly accessKeyId: string;
  readonly scope: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(value: string | undefined): Authorization | undefined {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(value ?? '');
  if (!m) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', headers = '', signature = ''] = m;
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/aws4_request`, signedHeaders: headers.split(';'), signature };
}

const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: string): string {
  return [...new URLSearchParams(query)]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
}

export type SignatureCheck = { readonly ok: true; readonly accessKeyId: string } | { readonly ok: false; readonly accessKeyId?: string; readonly why: string };

/** Whether the request was signed with the secret of a known access key id. */
export function checkSignature(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer, secrets: ReadonlyMap<string, string>): SignatureCheck {
  const auth = parseAuthorization(headerValue(headers, 'authorization'));
  if (auth === undefined) return { ok: false, why: 'no SigV4 Authorization header' };
  const secret = secrets.get(auth.accessKeyId);
  if (secret === undefined) return { ok: false, accessKeyId: auth.accessKeyId, why: 'unknown access key id' };
  const amzDate = headerValue(headers, 'x-amz-date');
  const [path = '/', query = ''] = url.split('?', 2);
  const canonical = [
    method,
    path,
    canonicalQuery(query),
    auth.signedHeaders.map((h) => `${h}:${headerValue(headers, h)}\n`).join(''),
    auth.signedHeaders.join(';'),
    headerValue(headers, 'x-amz-content-sha256') || sha256(body),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, auth.scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, auth.date), auth.region), auth.service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(toSign).digest('hex'));
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true, accessKeyId: auth.accessKeyId }
    : { ok: false, accessKeyId: auth.accessKeyId, why: 'signature does not match' };
}
