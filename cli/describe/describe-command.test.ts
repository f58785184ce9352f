import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePoolState } from '../testing/pool-state.js';
import { describeCommand } from './describe-command.js';

let dir: string;
let state: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-describe-'));
  state = join(dir, 'state.jsonl');
  await writePoolState(state);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function run(command: typeof describeCommand, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('polyfleet describe nodepool', () => {
  it('shows spec, conditions, machines with their placement, and events', async () => {
    const { code, stdout } = await run(describeCommand, 'nodepool', 'workers', '--state', state);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Name: +workers$/m);
    expect(stdout).toMatch(/^Strategy: +cheap$/m);
    expect(stdout).toMatch(/^Machines: +1 ready of 2$/m);
    expect(stdout).toMatch(/^ {2}Ready +False +MachinesNotReady +1\/2 running$/m);
    expect(stdout).toMatch(/^ {2}workers-abcde +0 +Running +\S+ +\S+ +\$0\.05 +i-123$/m);
    expect(stdout).toContain('      placement: slot 0 → sim-a/r1/r1a; picked s1 at $0.05/h\n');
    expect(stdout).toMatch(/^ {2}workers-fghij +1 +Pending /m);
    expect(stdout).toMatch(/^ {2}Normal +ScalingUp +\d+s +creating 2 Machines$/m);
  });

  it.each([
    { argv: ['nodepool', 'nope'], code: 1, message: 'nodepools "nope" not found in namespace "default"' },
    { argv: ['machine', 'x'], code: 2, message: 'describe shows nodepools only, got "machine"' },
    { argv: ['nodepool'], code: 2, message: 'which pool? e.g. polyfleet describe nodepool workers' },
  ])('exits $code: $message', async ({ argv, code, message }) => {
    const result = await run(describeCommand, ...argv, '--state', state);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(`polyfleet describe: ${message}`);
  });
});
