// Loopback servers for the redirect tests of every adapter: one that redirects, one that records
// what reaches it (so a test sees whether a credential followed the redirect).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingServer {
  readonly server: Server;
  readonly url: string;
  /** The headers of every request received, in order. */
  readonly seen: IncomingHttpHeaders[];
}

/** A loopback server that records the headers of every request it gets and answers with `answer`. */
export async function recordingServer(answer: (url: string) => { status: number; headers?: Record<string, string>; body?: string }): Promise<RecordingServer> {
  const seen: IncomingHttpHeaders[] = [];
  const s = createServer((req, res) => {
    seen.push(req.headers);
    const { status, headers, body } = answer(req.url ?? '/');
    req.resume();
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { server: s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port.toString()}`, seen };
}

export function closeServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => {
      resolve();
    });
  });
}

/** What `promise` settled with (its error, or `{resolved}`), or a rejection if it hangs past `ms`. */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${ms.toString()} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise.then((v) => ({ resolved: v }), (e: unknown) => e), hang]);
  } finally {
    clearTimeout(timer);
  }
}
