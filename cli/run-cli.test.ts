import { describe, expect, it } from '@jest/globals';
import { COMMANDS, runCli } from './run-cli.js';

describe('the command registry', () => {
  it.each(COMMANDS.map((c) => ({ name: c.name, entry: c })))('$name: the registry says what the module does', async ({ entry }) => {
    const command = await entry.load();
    expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
  });

  it('lists every command with its summary', async () => {
    let stdout = '';
    const code = await runCli(['--help'], { stdout: (s) => (stdout += s), stderr: () => undefined });
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(stdout).toContain(`  ${c.name.padEnd(10)}  ${c.summary}\n`);
  });
});
