import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { reloadTlsOnChange, type TlsFiles } from './tls-reload.js';

export interface HttpServerOptions {
  /** What is served, for messages: "the inventory API". */
  readonly what: string;
  readonly host: string;
  /** 0 takes a free port. */
  readonly port: number;
  /** PEM certificate chain and key: serve HTTPS; with `files`, a renewed pair in them is served without a restart. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer; readonly files?: TlsFiles };
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly log: Logger;
}

export interface HttpServer {
  readonly host: string;
  readonly port: number;
  /** e.g. http://127.0.0.1:8081 */
  readonly url: string;
  close(): Promise<void>;
}

/** A server for routes (a Router's handle), closed with every open connection. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    options.handle(req, res).catch((err: unknown) => {
      options.log.error({ err, path: req.url }, 'request failed');
      res.destroy();
    });
  };
  const https = options.tls === undefined ? undefined : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest);
  const server: Server = https ?? createHttpServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      reject(new Error(`cannot serve ${options.what} on ${hostPort(options.host, options.port)}: ${err.message}`, { cause: err }));
    });
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${hostPort(options.host, port)}`;
  const files = options.tls?.files;
  const stopReloading = https === undefined || files === undefined ? () => undefined : reloadTlsOnChange(https, files, options.log);
  return {
    host: options.host,
    port,
    url,
    close: () => {
      stopReloading();
      return closeServer(server);
    },
  };
}

/** Stops listening and ends every open connection (a watch or an SSE stream would keep it open). */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}

export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** HOST:PORT (or [IPv6]:PORT) as a listen address, or a RangeError naming `flag` and what it got. */
export function parseListenAddress(flag: string, text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m === null ? NaN : Number(m[3]);
  const host = m?.[1] ?? m?.[2];
  if (host === undefined || !(port >= 0 && port <= 65535)) {
    throw new RangeError(`${flag} must be HOST:PORT (e.g. 127.0.0.1:8081, 0.0.0.0:8081, [::1]:8081; port 0 picks a free one), got ${JSON.stringify(text)}`);
  }
  return { host, port };
}

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
