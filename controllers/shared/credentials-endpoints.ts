import type { ProviderAccount } from '../../api/index.js';
import { CredentialsError } from './credentials-error.js';

/** The flag of `polyfleet controller` that fills the allow-list; named in every refusal. */
export const ALLOW_ENDPOINT_FLAG = '--allow-endpoint';

/**
 * One entry of the endpoint allow-list: a host name (or IP address) matched exactly against the
 * endpoint URL's hostname, and optionally a port the URL must use (its default port if it names none).
 */
export interface AllowedEndpoint {
  readonly host: string;
  readonly port?: number;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/?#@\s]+)(?::(\d{1,5}))?$/;

/** Parses `HOST` or `HOST:PORT` (an IPv6 address in brackets: `[::1]`, `[::1]:8080`); the error says what is wrong. */
export function parseAllowedEndpoint(text: string): { kind: 'ok'; value: AllowedEndpoint } | { kind: 'invalid'; message: string } {
  const invalid = (why: string) => ({
    kind: 'invalid' as const,
    message: `${JSON.stringify(text)} ${why}; give the host of the endpoint URL, optionally with a port, e.g. 127.0.0.1, ec2.internal.example or ec2.internal.example:8443`,
  });
  const match = HOST_PORT.exec(text.trim());
  if (match === null) return invalid('is not HOST or HOST:PORT (no scheme, path or user)');
  const [, host = '', portText] = match;
  let hostname: string;
  try {
    // As the endpoint's own hostname will be spelled: lowercase, IPv4 and IPv6 normalised, IDN in punycode.
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return invalid('is not a host name or address');
  }
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) return invalid('has a port outside 1-65535');
  return { kind: 'ok', value: { host: hostname, ...(port === undefined ? {} : { port }) } };
}

/** The endpoint's host as it is matched and named in messages: hostname, and the port if the URL names one. */
export function endpointHost(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).host;
  } catch {
    return undefined;
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** Whether `endpoint` is on the allow-list: its hostname equals an entry's host, and the entry's port if it pins one. */
export function endpointAllowed(allowed: readonly AllowedEndpoint[], endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return allowed.some((a) => a.host === url.hostname && (a.port === undefined || a.port === port));
}

/**
 * In a cluster, whoever may write a Strategy chooses the account's endpoint, and the controller
 * sends that account's credentials and every call there. So only hosts the operator named with
 * --allow-endpoint are used; the sim has no endpoint and is never refused.
 */
export function checkEndpointAllowed(account: ProviderAccount, allowed: readonly AllowedEndpoint[]): void {
  const { endpoint } = account;
  if (endpoint === undefined || account.type === 'sim' || endpointAllowed(allowed, endpoint)) return;
  const host = endpointHost(endpoint);
  if (host === undefined) throw new CredentialsError(account, 'endpoint is not a URL; it is refused in a cluster');
  const hostname = new URL(endpoint).hostname;
  const pinned = host === hostname ? '' : ` (or ${ALLOW_ENDPOINT_FLAG} ${host} to allow that port only)`;
  throw new CredentialsError(
    account,
    `endpoint host ${host} is not allowed in this cluster: the controller would send this account's credentials and calls there, and whoever may write a Strategy chooses it; an operator who trusts it starts polyfleet controller with ${ALLOW_ENDPOINT_FLAG} ${hostname}${pinned}`,
  );
}
