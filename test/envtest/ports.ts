import { createServer, type Server } from 'node:net';

function listenOnAnyLoopbackPort(): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => { resolve(server); });
  });
}

/**
 * `count` distinct TCP ports on 127.0.0.1 that were free a moment ago: the kernel picks them while
 * all are held open (so none repeats), then they are closed and handed to child processes. Another
 * process could take one in between; the child then fails with "address already in use", which
 * the harness reports.
 */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyLoopbackPort));
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('could not read the port the kernel picked');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => { resolve(); }))));
  return ports;
}
