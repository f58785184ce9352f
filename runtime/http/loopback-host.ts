import type { IncomingMessage } from 'node:http';
import { isLoopback } from './http-server.js';
import { HttpProblem } from './problem.js';

/** The host name of a Host header ("[::1]:8081" → "::1", "127.0.0.1:8081" → "127.0.0.1"), lower case. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::\d+)?$/.exec(header.trim());
  return (m?.[1] ?? m?.[2])?.toLowerCase();
}

/**
 * For a server that asks no credential: a request must be addressed to a loopback name (else the
 * problem to answer). A browser visiting a page whose name an attacker points at 127.0.0.1 (DNS
 * rebinding) sends that name as Host, and is refused: the page can neither read the fleet nor act
 * through the visitor.
 */
export function loopbackHostProblem(req: IncomingMessage): HttpProblem | undefined {
  const name = hostName(req.headers.host);
  if (name !== undefined && isLoopback(name)) return undefined;
  return new HttpProblem(421, `this server takes no token, so it answers only requests addressed to 127.0.0.1, localhost or [::1], not Host: ${req.headers.host ?? '(none)'}; give it --inventory-token-file to be reached by another name`);
}
