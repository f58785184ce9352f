import { readFileSync } from 'node:fs';
import { Etcd3, type IOptions } from 'etcd3';
import { EtcdUnavailableError } from './etcd-errors.js';

/** How to reach etcd: its members, TLS material (PEM files) and an optional user. */
export interface EtcdConnectionOptions {
  /** HOST:PORT of each member. */
  readonly endpoints: readonly string[];
  /** CA bundle that signed the members' serving certificates; setting it (or a client certificate) switches to https. */
  readonly caFile?: string;
  /** Client certificate and key, for etcd's --client-cert-auth. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** etcd's own user/password authentication. */
  readonly user?: { readonly name: string; readonly password: string };
  /** How long one call may take before it fails. Default 10 s. */
  readonly callTimeoutMs?: number;
}

export function usesTls(options: EtcdConnectionOptions): boolean {
  return options.caFile !== undefined || options.certFile !== undefined;
}

/** The client; no call is made yet. Throws (naming the file) if TLS material cannot be read. */
export function connectEtcd(options: EtcdConnectionOptions): Etcd3 {
  const scheme = usesTls(options) ? 'https' : 'http';
  const callTimeoutMs = options.callTimeoutMs ?? 10_000;
  const config: IOptions = {
    hosts: options.endpoints.map((e) => `${scheme}://${e}`),
    dialTimeout: callTimeoutMs,
    // Streams (watches) stay open; every other call has a deadline, so a dead etcd is an error, never a hang.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
  };
  if (usesTls(options)) {
    config.credentials = {
      rootCertificate: options.caFile === undefined ? Buffer.alloc(0) : readPem(options.endpoints, '--etcd-cacert', options.caFile),
      ...(options.certFile === undefined ? {} : { certChain: readPem(options.endpoints, '--etcd-cert', options.certFile) }),
      ...(options.keyFile === undefined ? {} : { privateKey: readPem(options.endpoints, '--etcd-key', options.keyFile) }),
    };
  }
  if (options.user !== undefined) config.auth = { username: options.user.name, password: options.user.password };
  return new Etcd3(config);
}

function readPem(endpoints: readonly string[], flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new EtcdUnavailableError(endpoints, `${flag} ${path} cannot be read (${(e as Error).message})`, { cause: e });
  }
}

/** Any failure of a call to etcd, as an error naming the endpoints and what went wrong in words. */
export function describeEtcdFailure(endpoints: readonly string[], doing: string, e: unknown): EtcdUnavailableError {
  if (e instanceof EtcdUnavailableError) return e;
  const message = e instanceof Error ? e.message : String(e);
  // etcd3 passes some gRPC errors through uncast, so go by what they say (and gRPC's status code).
  const said = `${e instanceof Error ? e.name : ''} ${message}`;
  const why = /authentication failed|invalid user ID or password|invalid auth token|user name is empty|UNAUTHENTICATED|EtcdAuthenticationFailed/i.test(said)
    ? `refused the credentials (${message})`
    : /permission denied|EtcdPermissionDenied/i.test(said)
      ? `denied permission (${message})`
      : /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|No connection established|GRPCUnavailable|GRPCDeadlineExceeded/i.test(said)
        ? `cannot be reached (${message})`
        : message;
  return new EtcdUnavailableError(endpoints, `${doing}: ${why}`, { cause: e });
}
