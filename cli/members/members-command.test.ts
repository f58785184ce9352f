import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePoolState } from '../testing/pool-state.js';
import { membersCommand } from './members-command.js';

let dir: string;
let state: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-members-'));
  state = join(dir, 'state.jsonl');
  await writePoolState(state);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(command: typeof membersCommand, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('polyfleet members', () => {
  it('lists node, address, status, provider, region and zone by slot', async () => {
    const { code, stdout } = await run(membersCommand, '--state', state);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NODE +ADDRESS +STATUS +PROVIDER +REGION +ZONE +POOL$/);
    expect(lines[1]).toMatch(/^workers-abcde +203\.0\.113\.5 +Running +\S+ +\S+ +\S+ +workers$/);
    expect(lines[2]).toMatch(/^workers-fghij +Pending +/);
  });

  it('prints JSON, filters by pool, and says when there are none', async () => {
    const json = await run(membersCommand, '--state', state, '-o', 'json', '--pool', 'workers');
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ node: 'workers-abcde', address: '203.0.113.5', status: 'Running' }), expect.objectContaining({ node: 'workers-fghij', address: '' })]);
    expect(await run(membersCommand, '--state', state, '--pool', 'other')).toEqual({ code: 0, stdout: '', stderr: 'No members\n' });
    expect((await run(membersCommand, '-o', 'yaml')).code).toBe(2);
  });
});
