import { readFileSync } from 'node:fs';
import type { VarsSourceReader } from '../../inventory/index.js';
import { isLoopback, parseListenAddress, type TlsFiles } from '../../runtime/http/index.js';
import { loopbackAccess, parseTokenFile, tokenAccess, type AccessControl } from '../../runtime/auth/index.js';
import { UsageError } from './command-runner.js';

export const INVENTORY_ADDR_FLAG = '--inventory-addr';
export const DEFAULT_INVENTORY_ADDR = '127.0.0.1:8081';

export interface InventoryServerOptions {
  readonly host: string;
  readonly port: number;
  readonly access: AccessControl;
  /** With the files they came from: a renewed pair is served without a restart. */
  readonly tls?: InventoryTls;
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

export interface InventoryTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly files: TlsFiles;
}

/** --inventory-tls-cert and --inventory-tls-key, both or neither. */
export function inventoryTlsFlags(cert: string | undefined, key: string | undefined): InventoryTls | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('give --inventory-tls-cert and --inventory-tls-key together');
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new UsageError(`${flag} ${path}: ${(e as Error).message}`);
    }
  };
  return { cert: read('--inventory-tls-cert', cert), key: read('--inventory-tls-key', key), files: { certFile: cert, keyFile: key } };
}
