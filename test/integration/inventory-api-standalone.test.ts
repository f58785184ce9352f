// The inventory REST API of `polyfleet run`, as a user runs it: a token file opens it, it answers what
// `polyfleet inventory --list` prints, and schemathesis (property-based, from /v1/openapi.json) finds
// no 5xx and no answer the document does not allow. No API server needed; here for schemathesis's venv.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnsibleInventoryList, HostPage, ProblemDetails } from '../../api/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { eventually as until } from '../../runtime/testing/async.js';
import { schemathesis, schemathesisBin } from '../tools/schemathesis.js';
import { eventually } from './cluster.js';
import { repoRoot } from './kubectl.js';

const TOKEN = 'inventory-test-token-0123456789';

let dir: string;
let run: BackgroundPolyfleet | undefined;
let api: string;

beforeAll(async () => {
  schemathesisBin();
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-run-inventory-api-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  const live = startPolyfleet(dir, ['run', '-f', join(repoRoot, 'examples/quickstart'), '-f', join(repoRoot, 'examples/inventory'), '--port', '0', '--inventory-token-file', join(dir, 'token'), '--sim-dir', join(dir, 'sim')]);
  run = live;
  const pattern = /serving the inventory API on (http:\/\/127\.0\.0\.1:\d+)\/v1\//;
  await until(() => pattern.test(live.stdout()) || live.child.exitCode !== null, 'polyfleet run to serve the inventory API', 60_000);
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
    await eventually(
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
});
