import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnsibleInventoryList, HostPage, ProblemDetails } from '../../api/index.js';
import { eventually } from '../../runtime/testing/async.js';
import { eventually as eventuallyRead } from '../../test/integration/cluster.js';
import { schemathesis } from '../../test/tools/schemathesis.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../testing/cli-process.js';
import { runCommand } from './run-command.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'inventory-test-token-0123456789';

let dir: string;
let run: BackgroundPolyfleet | undefined;
let api: string;

async function runFlags(argv: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCommand.run([...argv, '--state', join(dir, 'flags.jsonl')], { stdout: () => {}, stderr: (s) => (stderr += s) });
  return { code, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-run-inventory-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  const live = startPolyfleet(dir, ['run', '-f', join(repoRoot, 'examples/quickstart'), '-f', join(repoRoot, 'examples/inventory'), '--port', '0', '--inventory-token-file', join(dir, 'token'), '--sim-dir', join(dir, 'sim')]);
  run = live;
  const pattern = /serving the inventory API on (http:\/\/127\.0\.0\.1:\d+)\/v1\//;
  await eventually(() => pattern.test(live.stdout()) || live.child.exitCode !== null, 'polyfleet run to serve the inventory API', 60_000);
  api = pattern.exec(live.stdout())?.[1] ?? `(run exited: ${live.stderr()})`;
}, 90_000);

afterAll(async () => {
  run?.child.kill('SIGTERM');
  await run?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('polyfleet run serves the inventory REST API', () => {
  it('with --inventory-token-file: the token opens it, and it answers what `polyfleet inventory --list` prints', async () => {
    expect(run?.stdout()).toContain('(Bearer token of --inventory-token-file)');
    const none = await fetch(`${api}/v1/hosts`);
    expect(none.status).toBe(401);
    expect(ProblemDetails.parse(await none.json()).detail).toBe('no Authorization header; send Authorization: Bearer <the token of --inventory-token-file>');
    const headers = { authorization: `Bearer ${TOKEN}` };
    await eventuallyRead(
      async () => HostPage.parse(await (await fetch(`${api}/v1/hosts?tenant=default&group=workers`, { headers })).json()).items.length,
      (n) => n === 7,
      'the quickstart\'s 7 workers to be hosts',
      120_000,
    );
    const fromApi = AnsibleInventoryList.parse(await (await fetch(`${api}/v1/ansible/default`, { headers })).json());
    const cli = runPolyfleet(dir, ['inventory', '--list']);
    expect(cli.status).toBe(0);
    expect(fromApi).toEqual(JSON.parse(cli.stdout));
  }, 150_000);

  it('holds no 5xx and no answer outside /v1/openapi.json for schemathesis', async () => {
    const result = await schemathesis(`${api}/v1/openapi.json`, api, { authorization: `Bearer ${TOKEN}` }, dir);
    expect({ code: result.code, output: result.code === 0 ? '' : result.output }).toEqual({ code: 0, output: '' });
  }, 300_000);

  it('names --inventory-addr when the address is taken, and leaves the state unowned', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const r = await runFlags(['--port', '0', '--inventory-addr', `127.0.0.1:${port}`]);
      expect(r).toEqual({
        code: 1,
        stderr: `polyfleet run: cannot serve the inventory API on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}; pass --inventory-addr HOST:PORT (port 0 picks a free one) or --inventory-addr off\n`,
      });
    } finally {
      taken.close();
    }
    expect(existsSync(join(dir, 'flags.jsonl.owner'))).toBe(false);
  });

  it.each([
    { argv: ['--inventory-addr', '0.0.0.0:0'], message: '--inventory-addr 0.0.0.0:0 is reachable from other machines: give --inventory-token-file FILE too, or listen on 127.0.0.1' },
    { argv: ['--inventory-addr', 'localhost'], message: '--inventory-addr must be HOST:PORT (e.g. 127.0.0.1:8081, 0.0.0.0:8081, [::1]:8081; port 0 picks a free one), got "localhost", or off' },
    { argv: ['--inventory-addr', 'off', '--inventory-token-file', 'x'], message: '--inventory-token-file is for the inventory API, which --inventory-addr off turns off' },
    { argv: ['--inventory-addr', '127.0.0.1:0', '--inventory-token-file', '/nonexistent/token'], message: '--inventory-token-file /nonexistent/token: ENOENT' },
  ])('exits 2 on usage: $message', async ({ argv, message }) => {
    const r = await runFlags(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`polyfleet run: ${message}`);
  });

  it('refuses a token file whose token is too short to be a secret', async () => {
    writeFileSync(join(dir, 'short'), 'abc\n');
    const r = await runFlags(['--inventory-addr', '127.0.0.1:0', '--inventory-token-file', join(dir, 'short')]);
    expect(r).toEqual({ code: 2, stderr: expect.stringContaining(`--inventory-token-file ${join(dir, 'short')}: the first line must be a token of at least 16 characters`) as unknown as string });
  });
});
