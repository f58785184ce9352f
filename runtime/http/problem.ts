import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

/** An answer other than success, sent as RFC 9457 problem details; `detail` says what to do about it. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The problem document for `status` (RFC 9457: type about:blank, title the status's reason phrase). */
export function problemBody(status: number, detail: string, instance: string): { type: string; title: string; status: number; detail: string; instance: string } {
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, instance };
}

/** Sends a problem unless the answer has begun (a stream that failed midway can only be cut off). */
export function sendProblem(res: ServerResponse, problem: HttpProblem, instance: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(problem.status, { ...problem.headers, 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : JSON.stringify(problemBody(problem.status, problem.detail, instance)));
}

/** A JSON answer (200 unless told). */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  sendJsonText(res, JSON.stringify(body), status);
}

/** A body already serialized (a kept answer). */
export function sendJsonText(res: ServerResponse, json: string, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : json);
}
