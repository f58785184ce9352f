import type { ServerResponse } from 'node:http';

/** How long a browser waits before reconnecting after the stream broke. */
const RETRY_MS = 1_000;
/** A comment this often keeps proxies and idle-timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** One open text/event-stream response. */
export interface EventStream {
  send(event: string, id: string, data: unknown): void;
  /** Resolves when the client went away (or the server closed the connection). */
  readonly closed: Promise<void>;
}

export function openEventStream(res: ServerResponse, headers: Readonly<Record<string, string>>): EventStream {
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    // Tells nginx-style proxies not to hold the stream back in a buffer.
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: ${RETRY_MS}\n\n`);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const closed = new Promise<void>((resolve) => {
    res.on('close', () => {
      clearInterval(heartbeat);
      resolve();
    });
  });
  return {
    send(event, id, data) {
      // JSON has no raw newlines, so the data is one `data:` line.
      res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    closed,
  };
}
