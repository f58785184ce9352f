// A DNS client of the smallest kind: one question of type A over UDP (RFC 1035 §4), enough to ask
// a test CoreDNS what a name resolves to. No recursion, no TCP fallback, no EDNS.
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';

export type DnsAnswer =
  | { readonly rcode: 'NOERROR'; readonly addresses: readonly string[] }
  /** NXDOMAIN, SERVFAIL, REFUSED, …: no addresses. */
  | { readonly rcode: string; readonly addresses: readonly [] };

const RCODES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
const TYPE_A = 1;
const CLASS_IN = 1;

/** Asks the server at 127.0.0.1:`port` for the A records of `name`; rejects after `timeoutMs` without an answer. */
export function queryA(port: number, name: string, timeoutMs = 2_000): Promise<DnsAnswer> {
  const id = randomInt(0, 0x10000);
  const query = encodeQuery(id, name);
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no DNS answer for ${name} from 127.0.0.1:${String(port)} in ${String(timeoutMs)} ms`));
    }, timeoutMs);
    socket.on('message', (message) => {
      if (message.readUInt16BE(0) !== id) return;
      clearTimeout(timer);
      socket.close();
      try {
        resolve(decodeAnswer(message));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      socket.close();
      reject(e);
    });
    socket.send(query, port, '127.0.0.1');
  });
}

function encodeQuery(id: number, name: string): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // a standard query, recursion desired
  header.writeUInt16BE(1, 4); // one question
  const labels = name.replace(/\.$/, '').split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(TYPE_A, 0);
  tail.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, ...labels, Buffer.from([0]), tail]);
}

function decodeAnswer(message: Buffer): DnsAnswer {
  const flags = message.readUInt16BE(2);
  const rcode = RCODES[flags & 0xf] ?? `RCODE${String(flags & 0xf)}`;
  const questions = message.readUInt16BE(4);
  const answers = message.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < questions; i++) offset = skipName(message, offset) + 4;
  const addresses: string[] = [];
  for (let i = 0; i < answers; i++) {
    offset = skipName(message, offset);
    const type = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 8);
    const data = message.subarray(offset + 10, offset + 10 + length);
    if (type === TYPE_A && length === 4) addresses.push([...data].join('.'));
    offset += 10 + length;
  }
  if (rcode !== 'NOERROR') return { rcode, addresses: [] };
  return { rcode: 'NOERROR', addresses: addresses.sort() };
}

/** The offset just past a (possibly compressed) name at `offset`. */
function skipName(message: Buffer, offset: number): number {
  for (;;) {
    const length = message.readUInt8(offset);
    if (length === 0) return offset + 1;
    if ((length & 0xc0) === 0xc0) return offset + 2;
    offset += 1 + length;
  }
}
