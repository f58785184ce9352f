import { get, type IncomingMessage } from 'node:http';

export interface SseMessage {
  readonly id: string;
  readonly event: string;
  readonly data: unknown;
}

/** An open event stream read by a test: the messages so far, and how to hang up. */
export interface SseClient {
  readonly messages: SseMessage[];
  close(): void;
}

/** Connects to a text/event-stream URL (sending Last-Event-ID if given) and collects its messages. */
export function connectSse(url: string, lastEventId?: string, headers: Readonly<Record<string, string>> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { ...headers, ...(lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId }) } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${url} answered ${res.statusCode ?? '?'}`));
        return;
      }
      const messages: SseMessage[] = [];
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          const data = fields.get('data');
          if (data !== undefined) messages.push({ id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: JSON.parse(data) });
        }
      });
      resolve({ messages, close: () => req.destroy() });
    });
    req.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
  });
}
