import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackAccess, tokenAccess } from '../../runtime/auth/index.js';
import { capturingLogger } from '../../runtime/testing/log-capture.js';
import { MemoryStore } from '../../runtime/testing/memory-store.js';
import { selfSignedCert } from '../../runtime/testing/self-signed.js';
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

  it('over TLS marks the session cookie Secure, so the browser never sends it in the clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyfleet-web-tls-'));
    const tls = selfSignedCert(dir);
    const token = 'a-token-of-the-token-file-0123456789';
    const server = await startInventoryServer(new MemoryStore(), { host: '127.0.0.1', port: 0, access: tokenAccess(token), tls }, capturingLogger().log);
    try {
      const setCookie = await new Promise<string | undefined>((resolve, reject) => {
        const req = httpsRequest(`${server.webUrl}api/session`, { method: 'POST', ca: tls.cert, headers: { 'Content-Type': 'application/json', Origin: server.url } }, (res) => {
          res.resume();
          resolve(res.headers['set-cookie']?.[0]);
        });
        req.on('error', reject);
        req.end(JSON.stringify({ token }));
      });
      expect(setCookie).toMatch(/^polyfleet_session=[A-Za-z0-9_-]+; Path=\/ui\/; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
