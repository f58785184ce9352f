import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProblemDetails, WebSession } from '../api/index.js';
import { loopbackAccess, tokenAccess, type AccessControl } from '../runtime/auth/index.js';
import { MemoryStore } from '../runtime/testing/memory-store.js';
import { testNodePool, testStrategy } from '../runtime/testing/objects.js';
import { SessionStore } from './session-store.js';
import { createWebView, type WebView } from './web-view.js';

const TOKEN = 'a-token-of-the-token-file-0123456789';

/** The web view's sessions and guarded actions over HTTP, as the page (or another site) would send them. */
describe('web view sessions and actions', () => {
  let store: MemoryStore;
  let web: WebView;
  let server: Server;
  let base: string;
  let origin: string;

  async function serve(access: AccessControl, sessions?: SessionStore, streamRenewMs?: number): Promise<void> {
    store = new MemoryStore();
    await store.create(testStrategy('default', 's'));
    await store.create({ ...testNodePool('default', 'workers', 's'), kind: 'NodePool' });
    web = createWebView({ store, access, batchMs: 20, ...(sessions === undefined ? {} : { sessions }), ...(streamRenewMs === undefined ? {} : { streamRenewMs }) });
    server = createServer((req, res) => {
      void web.handle(req, res).then((answered) => {
        if (!answered) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    base = `${origin}/ui/api`;
  }

  afterEach(async () => {
    web.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Signs in as the page does; the cookie and the CSRF token the server gave. */
  async function signIn(token = TOKEN): Promise<{ cookie: string; session: WebSession; setCookie: string }> {
    const res = await fetch(`${base}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ token }) });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0] ?? '', session: WebSession.parse(await res.json()), setCookie };
  }

  function post(path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
    return fetch(`${base}/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  async function problem(res: Response): Promise<ProblemDetails> {
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    return ProblemDetails.parse(await res.json());
  }

  const replicas = async () => (await store.get('NodePool', { namespace: 'default', name: 'workers' }))?.spec;

  it('answers 429 with Retry-After once one address has had 20 sign-ins refused, whatever token it then sends', async () => {
    await serve(tokenAccess(TOKEN));
    const attempt = (token: string) => fetch(`${base}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ token }) });
    for (let i = 0; i < 20; i++) expect((await attempt(`wrong-token-number-${String(i).padStart(8, '0')}`)).status).toBe(401);
    for (const token of ['one-more-wrong-token-000000', TOKEN]) {
      const res = await attempt(token);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await problem(res)).detail).toMatch(/^20 sign-ins from 127\.0\.0\.1 were refused in the last 5 minutes; try again in \d+ s$/);
    }
    // Scripts sending the token itself are not signing in: not throttled.
    expect((await fetch(`${base}/snapshot`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('answers 401 without a session or token, signs in with the token into an HttpOnly SameSite=Strict cookie, and refuses a wrong token', async () => {
    await serve(tokenAccess(TOKEN));
    for (const path of ['snapshot', 'events', 'session', 'pools/default/workers/events', 'pools/default/workers/permissions']) {
      const res = await fetch(`${base}/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect((await problem(res)).detail).toContain('sign in on the page with a token');
    }
    expect((await post('pools/default/workers/scale', { replicas: 3 }, { Origin: origin })).status).toBe(401);
    const wrong = await fetch(`${base}/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ token: 'not-the-token-at-all-000000' }) });
    expect([wrong.status, (await problem(wrong)).detail]).toEqual([401, 'sign-in refused: the token is not the one this server was given']);
    const { cookie, session, setCookie } = await signIn();
    expect(setCookie).toMatch(/^polyfleet_session=[A-Za-z0-9_-]{43}; Path=\/ui\/; HttpOnly; SameSite=Strict$/);
    expect(session).toMatchObject({ user: 'token-file', signedIn: true });
    expect(setCookie).not.toContain(TOKEN);
    const again = WebSession.parse(await (await fetch(`${base}/session`, { headers: { Cookie: cookie } })).json());
    expect(again.csrfToken).toBe(session.csrfToken);
    expect((await fetch(`${base}/snapshot`, { headers: { Cookie: cookie } })).status).toBe(200);
    // Scripts may still send the token itself, as to the inventory API.
    expect((await fetch(`${base}/snapshot`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('scales and pauses a pool from a session that sends its CSRF token from this origin', async () => {
    await serve(tokenAccess(TOKEN));
    const { cookie, session } = await signIn();
    const headers = { Cookie: cookie, Origin: origin, 'X-CSRF-Token': session.csrfToken };
    expect(await (await fetch(`${base}/pools/default/workers/permissions`, { headers: { Cookie: cookie } })).json()).toEqual({ patch: true });
    const scaled = await post('pools/default/workers/scale', { replicas: 9 }, headers);
    expect(scaled.status).toBe(200);
    expect(((await scaled.json()) as { pool: { replicas: number } }).pool.replicas).toBe(9);
    expect((await replicas())?.replicas).toBe(9);
    expect((await post('pools/default/workers/pause', { paused: true }, headers)).status).toBe(200);
    expect((await replicas())?.paused).toBe(true);
    expect((await post('pools/default/workers/pause', { paused: false }, headers)).status).toBe(200);
    expect((await replicas())?.paused).toBe(false);
    const missing = await post('pools/default/nope/scale', { replicas: 1 }, headers);
    expect([missing.status, (await problem(missing)).detail]).toEqual([404, 'there is no NodePool "nope" in namespace "default"']);
  });

  it.each([
    { name: 'no X-CSRF-Token', headers: (csrf: string, o: string) => ({ Origin: o }), detail: 'the X-CSRF-Token header is missing: refused as a possible cross-site request; reload the page' },
    { name: 'another session\'s X-CSRF-Token', headers: (csrf: string, o: string) => ({ Origin: o, 'X-CSRF-Token': `${csrf}x` }), detail: 'the X-CSRF-Token header is not this session\'s: refused as a possible cross-site request; reload the page' },
    { name: 'no Origin', headers: (csrf: string) => ({ 'X-CSRF-Token': csrf }), detail: 'the Origin header is missing: changes are taken only from the web view\'s own page' },
    { name: 'another Origin', headers: (csrf: string) => ({ Origin: 'https://evil.example', 'X-CSRF-Token': csrf }), detail: expect.stringMatching(/^the request came from https:\/\/evil\.example, not from this server's page \(127\.0\.0\.1:\d+\): refused as a cross-site request$/) },
    { name: 'a cross-site fetch', headers: (csrf: string, o: string) => ({ Origin: o, 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'cross-site' }), detail: 'Sec-Fetch-Site is cross-site: changes are taken only from the web view\'s own page' },
  ])('refuses a change with $name (403, problem+json), and changes nothing', async ({ headers, detail }) => {
    await serve(tokenAccess(TOKEN));
    const { cookie, session } = await signIn();
    const res = await post('pools/default/workers/scale', { replicas: 5 }, { Cookie: cookie, ...headers(session.csrfToken, origin) });
    expect(res.status).toBe(403);
    expect((await problem(res)).detail).toEqual(detail);
    expect((await replicas())?.replicas).toBe(1);
  });

  it('refuses a body that is not a replica count, naming the field and the value', async () => {
    await serve(tokenAccess(TOKEN));
    const { cookie, session } = await signIn();
    const headers = { Cookie: cookie, Origin: origin, 'X-CSRF-Token': session.csrfToken };
    for (const [body, detail] of [
      [{ replicas: 20000 }, 'replicas: Too big: expected number to be <=10000, got 20000'],
      [{ replicas: '3' }, 'replicas: Invalid input: expected number, received string, got "3"'],
      [{ replicas: 2.5 }, 'replicas: Invalid input: expected int, received number, got 2.5'],
    ] as const) {
      const res = await post('pools/default/workers/scale', body, headers);
      expect({ body, status: res.status, detail: (await problem(res)).detail }).toEqual({ body, status: 400, detail });
    }
    const notJson = await fetch(`${base}/pools/default/workers/scale`, { method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' }, body: 'replicas=3' });
    expect(notJson.status).toBe(415);
    expect((await replicas())?.replicas).toBe(1);
  });

  it('shows no control to a caller without patch, and answers its POST with 403 naming the permission', async () => {
    const viewer: AccessControl = { ...tokenAccess(TOKEN), allowed: (_caller, attributes) => Promise.resolve(attributes.verb === 'list') };
    await serve(viewer);
    const { cookie, session } = await signIn();
    expect(await (await fetch(`${base}/pools/default/workers/permissions`, { headers: { Cookie: cookie } })).json()).toEqual({ patch: false });
    const res = await post('pools/default/workers/scale', { replicas: 4 }, { Cookie: cookie, Origin: origin, 'X-CSRF-Token': session.csrfToken });
    expect(res.status).toBe(403);
    expect((await problem(res)).detail).toBe('token-file may not patch nodepools.polyfleet.io "workers" in namespace "default", which scaling it takes');
    expect((await replicas())?.replicas).toBe(1);
  });

  it('ends a session on sign-out, when its token stops being accepted, and when it was idle too long', async () => {
    let now = 0;
    let accepted = true;
    const flipping: AccessControl = { ...tokenAccess(TOKEN), authenticate: (a) => (accepted ? tokenAccess(TOKEN).authenticate(a) : Promise.resolve({ kind: 'unauthenticated', reason: 'the token was revoked' })) };
    await serve(flipping, new SessionStore({ now: () => now, idleMs: 1000 }));
    const first = await signIn();
    const out = await fetch(`${base}/session`, { method: 'DELETE', headers: { Cookie: first.cookie, Origin: origin, 'X-CSRF-Token': first.session.csrfToken } });
    expect([out.status, out.headers.get('set-cookie')]).toEqual([204, 'polyfleet_session=; Path=/ui/; Max-Age=0; HttpOnly; SameSite=Strict']);
    expect((await fetch(`${base}/snapshot`, { headers: { Cookie: first.cookie } })).status).toBe(401);
    const second = await signIn();
    accepted = false;
    const revoked = await fetch(`${base}/snapshot`, { headers: { Cookie: second.cookie } });
    expect((await problem(revoked)).detail).toBe('the session\'s token is no longer accepted (the token was revoked); sign in again');
    accepted = true;
    expect((await fetch(`${base}/snapshot`, { headers: { Cookie: second.cookie } })).status).toBe(401);
    const third = await signIn();
    now += 1001;
    expect((await fetch(`${base}/snapshot`, { headers: { Cookie: third.cookie } })).status).toBe(401);
  });

  it('on loopback without a token begins a session unasked, and still takes changes only with its CSRF token', async () => {
    await serve(loopbackAccess());
    const res = await fetch(`${base}/session`);
    const session = WebSession.parse(await res.json());
    expect(session).toMatchObject({ user: 'loopback', signedIn: false });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await post('pools/default/workers/scale', { replicas: 2 }, { Origin: origin })).status).toBe(403);
    expect((await post('pools/default/workers/scale', { replicas: 2 }, { Cookie: cookie, Origin: origin })).status).toBe(403);
    expect((await post('pools/default/workers/scale', { replicas: 2 }, { Cookie: cookie, Origin: origin, 'X-CSRF-Token': session.csrfToken })).status).toBe(200);
    expect((await replicas())?.replicas).toBe(2);
  });

  it('ends an event stream now and then, so a reconnect is authorized anew and a revoked token stops the feed', async () => {
    let accepted = true;
    const revocable: AccessControl = { ...tokenAccess(TOKEN), authenticate: (a) => (accepted ? tokenAccess(TOKEN).authenticate(a) : Promise.resolve({ kind: 'unauthenticated', reason: 'the token was revoked' })) };
    await serve(revocable, undefined, 200);
    const { cookie } = await signIn();
    const stream = await fetch(`${base}/events`, { headers: { Cookie: cookie } });
    expect(stream.status).toBe(200);
    // The whole body arrives because the server ends the stream by itself.
    expect(await stream.text()).toMatch(/^retry: 1000\n\nid: \S+\nevent: snapshot\n/);
    accepted = false;
    expect((await fetch(`${base}/events`, { headers: { Cookie: cookie } })).status).toBe(401);
  });
});
