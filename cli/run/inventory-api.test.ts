import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './run-command.js';

let dir: string;

async function runFlags(argv: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCommand.run([...argv, '--state', join(dir, 'flags.jsonl')], { stdout: () => {}, stderr: (s) => (stderr += s) });
  return { code, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-run-inventory-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('polyfleet run --inventory-addr and --inventory-token-file', () => {
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
