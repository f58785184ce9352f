import { describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { loopbackAccess, tokenAccess } from '../../runtime/auth/index.js';
import { capturingLogger } from '../../runtime/testing/log-capture.js';
import { MemoryStore } from '../../runtime/testing/memory-store.js';
import { startInventoryServer } from './inventory-server.js';

/** A GET with the Host header a browser would send for `host` (fetch cannot set Host). */
function getAs(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the inventory server (inventory API and web view on one address)', () => {
  it('without a token answers only requests addressed to a loopback name, so a rebinding page reads nothing', async () => {
    const server = await startInventoryServer(new MemoryStore(), { host: '127.0.0.1', port: 0, access: loopbackAccess() }, capturingLogger().log);
    try {
      for (const path of ['/ui/api/snapshot', '/ui/api/session', '/v1/tenants', '/ui/']) {
        const evil = await getAs(`${server.url}${path}`, `evil.example:${server.port}`);
        expect({ path, status: evil.status }).toEqual({ path, status: 421 });
        expect(evil.body).toContain(`not Host: evil.example:${server.port}`);
        for (const name of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) expect({ path, name, status: (await getAs(`${server.url}${path}`, name)).status }).toEqual({ path, name, status: 200 });
      }
      expect(server.webUrl).toBe(`${server.url}/ui/`);
    } finally {
      await server.close();
    }
  });

  it('with a token answers any Host, and asks for the token on the web view\'s data as on the API', async () => {
    const server = await startInventoryServer(new MemoryStore(), { host: '127.0.0.1', port: 0, access: tokenAccess('a-token-of-the-token-file-0123456789') }, capturingLogger().log);
    try {
      for (const path of ['/ui/api/snapshot', '/v1/tenants']) expect({ path, status: (await getAs(`${server.url}${path}`, 'fleet.example.com')).status }).toEqual({ path, status: 401 });
      expect((await getAs(`${server.url}/ui/`, 'fleet.example.com')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
