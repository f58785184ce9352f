import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientTokens } from './aws-client-tokens.js';
import type { BufferedReply } from './aws-client-tokens.js';
import { checkSignature } from './aws-sigv4.js';
import type { FakePriceList } from './aws-price-list/index.js';

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
  /** EC2 requests of `action` received so far (DescribeInstanceTypes, RunInstances, …), answered or not. */
  calls(action: string): number;
  /** Forgets every injected error not yet used, and every ClientToken seen (moto is being reset). */
  disarm(): void;
  close(): Promise<void>;
}

export interface AwsFrontOptions {
  /** Access key id → secret. When given, a request not signed by one of them gets EC2's AuthFailure, as a wrong key does on EC2. */
  readonly accessKeys?: Readonly<Record<string, string>>;
  /**
   * Serves the Price List Query API at the same endpoint (moto has none): a request whose
   * X-Amz-Target names AWSPriceListService goes there, after the same signature check.
   */
  readonly priceList?: FakePriceList;
}

const IDEMPOTENT_MISMATCH: Ec2ErrorReply = {
  status: 400,
  code: 'IdempotentParameterMismatch',
  message: 'The client token you have provided is associated with a resource that is already deleted or has different parameters',
};

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

const MOTO_DOWN: BufferedReply = {
  status: 503,
  headers: { 'content-type': 'text/xml;charset=UTF-8' },
  body: Buffer.from(ec2ErrorXml('Unavailable', 'moto did not answer')),
};

/** Moto's whole answer to `body`, buffered so a ClientToken retry can be answered with it again. */
function forward(req: IncomingMessage, body: Buffer, upstreamPort: number): Promise<BufferedReply> {
  return new Promise((resolve) => {
    const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      void readBody(up).then(
        (answer) => {
          resolve({ status: up.statusCode ?? 502, headers: up.headers, body: answer });
        },
        () => {
          resolve(MOTO_DOWN);
        },
      );
    });
    upstream.on('error', () => {
      resolve(MOTO_DOWN);
    });
    upstream.end(body);
  });
}

function send(res: ServerResponse, answer: BufferedReply): void {
  const { 'transfer-encoding': _chunked, 'content-length': _length, ...headers } = answer.headers;
  res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) }).end(answer.body);
}

/**
 * A loopback HTTP front before moto: it forwards every request, except that it can answer the next
 * call of an EC2 action with an injected EC2 error (moto cannot make InsufficientInstanceCapacity
 * and the like), given access keys refuses requests not signed with them (moto checks no
 * signature), keeps EC2's RunInstances ClientToken promise, which moto does not
 * (aws-client-tokens.ts), and given a fake Price List, answers its calls (aws-price-list/).
 */
export async function startAwsFront(upstreamPort: number, options: AwsFrontOptions = {}): Promise<AwsFront> {
  const armed = new Map<string, Ec2ErrorReply[]>();
  const counts = new Map<string, number>();
  const tokens = new ClientTokens();
  const secrets = options.accessKeys === undefined ? undefined : new Map(Object.entries(options.accessKeys));
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (secrets !== undefined && !checkSignature(req.method ?? 'GET', req.url ?? '/', req.headers, body, secrets).ok) {
        reply(res, AUTH_FAILURE);
        return;
      }
      const target = req.headers['x-amz-target'];
      const priceTarget = Array.isArray(target) ? target[0] : target;
      if (priceTarget !== undefined && options.priceList?.serves(priceTarget) === true) {
        options.priceList.handle(priceTarget, body, res);
        return;
      }
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '';
      counts.set(action, (counts.get(action) ?? 0) + 1);
      const next = armed.get(action)?.shift();
      if (next !== undefined) {
        reply(res, next);
        return;
      }
      const decision = tokens.decide(params, req.headers.authorization);
      if (decision.kind === 'mismatch') {
        reply(res, IDEMPOTENT_MISMATCH);
        return;
      }
      const answer = decision.kind === 'replay' ? decision.reply : forward(req, body, upstreamPort);
      if (decision.kind === 'launch') decision.settle(answer);
      void answer.then((a) => {
        send(res, a);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (action, error) => {
      armed.set(action, [...(armed.get(action) ?? []), error]);
    },
    calls: (action) => counts.get(action) ?? 0,
    disarm: () => {
      armed.clear();
      tokens.clear();
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
