import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { HttpProblem, sendProblem } from './problem.js';

/** One request as a route sees it: path parameters decoded, the query parsed. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void>;

interface Route {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly handle: RouteHandler;
}

/**
 * GET routes by path pattern — `/v1/hosts/{tenant}/{name}`, `/v1/inventory/{tenant}.tgz` — a
 * parameter being one non-empty path segment (up to a literal suffix). Other servers mount their
 * routes on the same router (the inventory API, a web view). Errors become problem details; an
 * HttpProblem's status and detail are the client's, anything else is a 500 whose cause is only logged.
 */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly log: Logger) {}

  get(pattern: string, handle: RouteHandler): this {
    const names: string[] = [];
    const source = pattern
      .split(/(\{[A-Za-z][A-Za-z0-9]*\})/)
      .map((part) => {
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(name);
        return '([^/]+?)';
      })
      .join('');
    this.routes.push({ pattern, regex: new RegExp(`^${source}$`), names, handle });
    return this;
  }

  /** The patterns, in the order they were mounted (for a 404's hint). */
  patterns(): string[] {
    return this.routes.map((r) => r.pattern);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    try {
      const found = this.match(path);
      if (found === undefined) throw new HttpProblem(404, `no such path ${path}; the paths are ${this.patterns().join(', ')}`);
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, `${req.method ?? '?'} is not allowed: this API is read-only (GET)`, { Allow: 'GET, HEAD' });
      await found.route.handle({ req, res, path, params: found.params, query: url.searchParams });
    } catch (err) {
      if (err instanceof HttpProblem) {
        sendProblem(res, err, path);
        return;
      }
      this.log.error({ err, path }, 'request failed');
      sendProblem(res, new HttpProblem(500, 'the server failed to answer; its log says why'), path);
    }
  }

  private match(path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (m === null) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      } catch {
        throw new HttpProblem(400, `the path ${path} is not valid percent-encoding`);
      }
      return { route, params };
    }
    return undefined;
  }
}
