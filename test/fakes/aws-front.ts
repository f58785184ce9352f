import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature } from './aws-sigv4.js';

/** An EC2 error as the Query API sends it: an HTTP status and a Code in the XML body. */
export interface Ec2ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** EC2's error body (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html#api-error-response). */
export function ec2ErrorXml(code: string, message: string): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
}

export interface AwsFront {
  readonly endpoint: string;
  /** The next request of EC2 `action` (RunInstances, DescribeInstances, …) is answered with `reply` instead of reaching moto. */
  inject(action: string, reply: Ec2ErrorReply): void;
  /** Forgets every injected error not yet used. */
  disarm(): void;
  close(): Promise<void>;
}

export interface AwsFrontOptions {
  /** Access key id → secret. When given, a request not signed by one of them gets EC2's AuthFailure, as a wrong key does on EC2. */
  readonly accessKeys?: Readonly<Record<string, string>>;
}

const AUTH_FAILURE: Ec2ErrorReply = { status: 401, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, error: Ec2ErrorReply): void {
  res.writeHead(error.status, { 'content-type': 'text/xml;charset=UTF-8' }).end(ec2ErrorXml(error.code, error.message));
}

function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, upstreamPort: number): void {
  const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    reply(res, { status: 503, code: 'Unavailable', message: 'moto did not answer' });
  });
  upstream.end(body);
}

/**
 * A loopback HTTP front before moto: it forwards every request, except that it can answer the next
 * call of an EC2 action with an injected EC2 error (moto cannot make InsufficientInstanceCapacity
 * and the like), and, given access keys, refuses requests not signed with them (moto checks no
 * signature).
 */
export async function startAwsFront(upstreamPort: number, options: AwsFrontOptions = {}): Promise<AwsFront> {
  const armed = new Map<string, Ec2ErrorReply[]>();
  const secrets = options.accessKeys === undefined ? undefined : new Map(Object.entries(options.accessKeys));
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (secrets !== undefined && !checkSignature(req.method ?? 'GET', req.url ?? '/', req.headers, body, secrets).ok) {
        reply(res, AUTH_FAILURE);
        return;
      }
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
      const next = armed.get(action)?.shift();
      if (next !== undefined) reply(res, next);
      else forward(req, body, res, upstreamPort);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (action, error) => {
      armed.set(action, [...(armed.get(action) ?? []), error]);
    },
    disarm: () => {
      armed.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
