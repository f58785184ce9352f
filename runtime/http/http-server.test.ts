import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturingLogger } from '../testing/log-capture.js';
import { selfSignedCert } from '../testing/self-signed.js';
import { isLoopback, parseListenAddress, startHttpServer } from './http-server.js';
import { HttpProblem, sendJson } from './problem.js';
import { Router } from './router.js';

describe('the HTTP server and router other APIs mount on', () => {
  it('routes by pattern with decoded parameters and a literal suffix; errors are problem details; a crash is a 500 whose cause stays in the log', async () => {
    const { log, lines } = capturingLogger();
    const router = new Router(log)
      .get('/v1/things/{name}.tgz', (ctx) => {
        sendJson(ctx.res, { tgz: ctx.params.name });
        return Promise.resolve();
      })
      .get('/v1/things/{name}', (ctx) => {
        sendJson(ctx.res, { name: ctx.params.name, q: ctx.query.get('q') });
        return Promise.resolve();
      })
      .get('/v1/teapot', () => Promise.reject(new HttpProblem(418, 'short and stout')))
      .get('/v1/crash', () => Promise.reject(new Error('internal secret detail')));
    const server = await startHttpServer({ what: 'a test API', host: '127.0.0.1', port: 0, handle: (req, res) => router.handle(req, res), log });
    const get = async (path: string, method = 'GET') => {
      const res = await fetch(`${server.url}${path}`, { method });
      return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) };
    };
    expect(await get('/v1/things/a%20b?q=1')).toEqual({ status: 200, type: 'application/json', body: { name: 'a b', q: '1' } });
    expect(await get('/v1/things/x.y.tgz')).toMatchObject({ body: { tgz: 'x.y' } });
    expect(await get('/v1/teapot')).toEqual({ status: 418, type: 'application/problem+json', body: { type: 'about:blank', title: "I'm a Teapot", status: 418, detail: 'short and stout', instance: '/v1/teapot' } });
    expect(await get('/v1/things/%E0%A4%A')).toMatchObject({ status: 400, body: { detail: 'the path /v1/things/%E0%A4%A is not valid percent-encoding' } });
    expect(await get('/v1/things/a', 'DELETE')).toMatchObject({ status: 405, body: { detail: 'DELETE is not allowed: this API is read-only (GET)' } });
    const crash = await get('/v1/crash');
    expect(crash).toMatchObject({ status: 500, body: { detail: 'the server failed to answer; its log says why' } });
    expect(JSON.stringify(crash.body)).not.toContain('internal secret detail');
    expect(lines.find((l) => l.msg === 'request failed')).toMatchObject({ path: '/v1/crash', err: { message: 'internal secret detail' } });
    await expect(startHttpServer({ what: 'a test API', host: '127.0.0.1', port: server.port, handle: (req, res) => router.handle(req, res), log })).rejects.toThrow(
      `cannot serve a test API on 127.0.0.1:${server.port}: listen EADDRINUSE`,
    );
    await server.close();
  });

  it('serves HTTPS with the certificate and key it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyfleet-https-'));
    try {
      const { cert, key } = selfSignedCert(dir);
      const { log } = capturingLogger();
      const router = new Router(log).get('/v1/ping', (ctx) => {
        sendJson(ctx.res, { pong: true });
        return Promise.resolve();
      });
      const server = await startHttpServer({ what: 'a test API', host: '127.0.0.1', port: 0, tls: { cert, key }, handle: (req, res) => router.handle(req, res), log });
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        httpsGet(`${server.url}/v1/ping`, { ca: cert }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => {
            resolve(text);
          });
        }).on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ pong: true });
      await server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves a renewed certificate once a Secret volume swaps its files, and keeps the last good pair over a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polyfleet-https-renew-'));
    // Laid out as the kubelet writes a Secret volume: tls.crt -> ..data/tls.crt, ..data -> a version dir, swapped by rename.
    const version = (name: string, key?: string): string => {
      const at = join(dir, name);
      mkdirSync(at);
      const keyArgs = key === undefined ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(at, 'tls.key')] : ['-key', key];
      const made = spawnSync('openssl', ['req', '-x509', ...keyArgs, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-out', join(at, 'tls.crt')]);
      expect(made.status).toBe(0);
      if (key !== undefined) copyFileSync(key, join(at, 'tls.key'));
      return name;
    };
    const publish = (name: string): void => {
      symlinkSync(name, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    };
    const served = (url: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(url).port), rejectUnauthorized: false }, () => {
          resolve(socket.getPeerCertificate().subject.CN as string);
          socket.end();
        }).on('error', reject);
      });
    const until = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 300 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      if (!(await check())) throw new Error(`timed out waiting for ${what}`);
    };
    try {
      publish(version('first'));
      symlinkSync('..data/tls.crt', join(dir, 'tls.crt'));
      symlinkSync('..data/tls.key', join(dir, 'tls.key'));
      const { log, lines } = capturingLogger();
      const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
      const server = await startHttpServer({ what: 'a test API', host: '127.0.0.1', port: 0, tls: { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile), files }, handle: () => Promise.resolve(), log });
      try {
        expect(await served(server.url)).toBe('first');
        publish(version('renewed'));
        await until(async () => (await served(server.url)) === 'renewed', 'the renewed certificate to be served');
        // A certificate whose key is another's: refused, the renewed pair stays.
        const stranger = version('stranger');
        const broken = version('broken', join(dir, 'renewed', 'tls.key'));
        copyFileSync(join(dir, stranger, 'tls.key'), join(dir, broken, 'tls.key'));
        publish(broken);
        await until(() => Promise.resolve(lines.some((l) => l.msg === 'the TLS certificate or key changed but cannot be used; still serving the previous pair')), 'the broken pair to be refused');
        expect(await served(server.url)).toBe('renewed');
        expect(JSON.stringify(lines)).not.toContain('PRIVATE KEY');
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses HOST:PORT, naming the flag and what it got', () => {
    expect(parseListenAddress('--x', '0.0.0.0:8081')).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(parseListenAddress('--x', '[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListenAddress('--x', '127.0.0.1:99999')).toThrow('--x must be HOST:PORT (e.g. 127.0.0.1:8081, 0.0.0.0:8081, [::1]:8081; port 0 picks a free one), got "127.0.0.1:99999"');
    expect([isLoopback('127.0.0.1'), isLoopback('::1'), isLoopback('localhost'), isLoopback('0.0.0.0'), isLoopback('10.0.0.1')]).toEqual([true, true, true, false, false]);
  });
});
