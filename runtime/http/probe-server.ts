import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { closeServer, hostPort } from './http-server.js';

/** One readiness condition, reported the way kube-apiserver's /readyz lists its checks. */
export interface HealthCheck {
  readonly name: string;
  readonly ok: boolean;
  /** Why it is not ok, for the operator reading /readyz. */
  readonly detail?: string;
}

export interface ProbeServerOptions {
  /** Default 127.0.0.1: metrics and probes stay off other interfaces unless asked for (0.0.0.0 in a pod). */
  readonly host?: string;
  /** Default 8080; 0 takes a free port (tests). */
  readonly port?: number;
  readonly readiness: () => readonly HealthCheck[];
  readonly registry: Registry;
  readonly log: Logger;
}

export interface ProbeServer {
  readonly port: number;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  close(): Promise<void>;
}

export const DEFAULT_PROBE_HOST = '127.0.0.1';
export const DEFAULT_PROBE_PORT = 8080;

/**
 * /healthz (the process serves), /readyz (every readiness check holds) and /metrics, on one port,
 * without authentication: so nothing of the fleet is served here (the web view and the inventory
 * API are on the inventory server, behind its authentication).
 */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const host = options.host ?? DEFAULT_PROBE_HOST;
  const server = createServer((req, res) => {
    route(req, res, options).catch((err: unknown) => {
      options.log.error({ err, path: req.url }, 'probe request failed');
      reply(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      reject(new Error(`cannot serve probes and metrics on ${host}:${options.port ?? DEFAULT_PROBE_PORT}: ${err.message}`, { cause: err }));
    });
    server.listen(options.port ?? DEFAULT_PROBE_PORT, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostPort(host, port)}`;
  options.log.info({ url }, 'serving health probes and metrics');
  return {
    port,
    url,
    close: () => closeServer(server),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: ProbeServerOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    reply(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://probe').pathname;
  switch (path) {
    case '/healthz':
      reply(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    case '/readyz':
      replyReadiness(res, options.readiness());
      return;
    case '/metrics':
      reply(res, 200, options.registry.contentType, await options.registry.metrics());
      return;
    default:
      reply(res, 404, 'text/plain; charset=utf-8', `no such path ${path}; try /healthz, /readyz or /metrics\n`);
  }
}

function replyReadiness(res: ServerResponse, checks: readonly HealthCheck[]): void {
  const ready = checks.length > 0 && checks.every((c) => c.ok);
  const lines = checks.map((c) => (c.ok ? `[+]${c.name} ok` : `[-]${c.name} failed: ${c.detail ?? 'not ready'}`));
  lines.push(ready ? 'readyz check passed' : 'readyz check failed');
  reply(res, ready ? 200 : 503, 'text/plain; charset=utf-8', `${lines.join('\n')}\n`);
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
