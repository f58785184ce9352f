import { readFileSync } from 'node:fs';
import { storeInventoryBackend, mountInventoryApi, type VarsSourceReader } from '../../inventory/index.js';
import { isLoopback, parseListenAddress, Router, startHttpServer, type HttpServer } from '../../runtime/http/index.js';
import { loopbackAccess, parseTokenFile, tokenAccess, type AccessControl } from '../../runtime/auth/index.js';
import type { Logger } from '../../runtime/log.js';
import type { Store } from '../../runtime/store/index.js';
import { CommandFailure, UsageError } from './command-runner.js';

export const INVENTORY_ADDR_FLAG = '--inventory-addr';
export const DEFAULT_INVENTORY_ADDR = '127.0.0.1:8081';

export interface InventoryServerOptions {
  readonly host: string;
  readonly port: number;
  readonly access: AccessControl;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** ConfigMaps and Secrets (a cluster); none on a state file. */
  readonly sources?: VarsSourceReader;
}

/** --inventory-addr HOST:PORT, or undefined for "off". */
export function inventoryAddrFlag(text: string | undefined, fallback: string | undefined): { host: string; port: number } | undefined {
  const value = text ?? fallback;
  if (value === undefined || value === 'off') return undefined;
  try {
    return parseListenAddress(INVENTORY_ADDR_FLAG, value);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}, or off`);
  }
}

/**
 * Standalone access: the token of --inventory-token-file, else none, which only a loopback address
 * may go without (anyone who can reach another would read the whole fleet).
 */
export function standaloneAccess(address: { host: string; port: number }, tokenFile: string | undefined): AccessControl {
  if (tokenFile === undefined) {
    if (!isLoopback(address.host)) throw new UsageError(`${INVENTORY_ADDR_FLAG} ${address.host}:${address.port} is reachable from other machines: give --inventory-token-file FILE too, or listen on 127.0.0.1`);
    return loopbackAccess();
  }
  let text: string;
  try {
    text = readFileSync(tokenFile, 'utf8');
  } catch (e) {
    throw new UsageError(`--inventory-token-file ${tokenFile}: ${(e as Error).message}`);
  }
  try {
    return tokenAccess(parseTokenFile('--inventory-token-file', tokenFile, text));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** --inventory-tls-cert and --inventory-tls-key, both or neither. */
export function inventoryTlsFlags(cert: string | undefined, key: string | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('give --inventory-tls-cert and --inventory-tls-key together');
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new UsageError(`${flag} ${path}: ${(e as Error).message}`);
    }
  };
  return { cert: read('--inventory-tls-cert', cert), key: read('--inventory-tls-key', key) };
}

/** The inventory REST API (/v1/…) on its own address, reading `store` per request. */
export async function startInventoryServer(store: Store, options: InventoryServerOptions, log: Logger): Promise<HttpServer> {
  const router = new Router(log.child({ component: 'inventory-api' }));
  mountInventoryApi(router, { backend: storeInventoryBackend(store, options.sources), access: options.access, log: log.child({ component: 'inventory-api' }) });
  try {
    return await startHttpServer({ what: 'the inventory API', host: options.host, port: options.port, ...(options.tls === undefined ? {} : { tls: options.tls }), handle: (req, res) => router.handle(req, res), log });
  } catch (e) {
    throw new CommandFailure(`${(e as Error).message}; pass ${INVENTORY_ADDR_FLAG} HOST:PORT (port 0 picks a free one) or ${INVENTORY_ADDR_FLAG} off`);
  }
}
