import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../run-cli.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vectorsDir = path.resolve(repoRoot, 'test/vectors/crush');
const bin = path.join(repoRoot, 'bin/polyfleet.js');
const run = promisify(execFile);
/** Each case is checked through the CLI on its first rows; the in-process tests check all rows. */
const ROWS_PER_CASE = 300;

function vectorFile(file: string): string {
  const full = path.join(vectorsDir, file);
  if (!existsSync(full)) throw new Error(`CRUSH reference vector not found: ${full} (the repository holds them in test/vectors/crush: is the checkout complete?)`);
  return full;
}

interface Case {
  id: number;
  rule: number;
  result_max: number;
  x: { start: number; count: number } | number[];
  reweights: number[] | null;
  results: number[][];
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('polyfleet crush map, run as a user runs it', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'crush-cli-'));
  for (const name of ['tree3', 'flat10']) {
    const expected = JSON.parse(readFileSync(vectorFile(`expected_${name}.json`), 'utf8')) as { map_file: string; cases: Case[] };
    const mapFile = path.relative(repoRoot, vectorFile(expected.map_file));
    it.concurrent.each(expected.cases.map((c) => [`${name} case ${c.id}`, c] as const))('reproduces %s', async (label, c) => {
      const args = ['crush', 'map', '--map', mapFile, '--rule', String(c.rule), '--result-max', String(c.result_max)];
      if (Array.isArray(c.x)) {
        const xFile = path.join(scratch, `${label.replace(/ /g, '-')}-x.json`);
        writeFileSync(xFile, JSON.stringify(c.x.slice(0, ROWS_PER_CASE)));
        args.push('--x-file', xFile);
      } else {
        args.push('--x', `${c.x.start}:${Math.min(c.x.count, ROWS_PER_CASE)}`);
      }
      if (c.reweights) {
        const reweightsFile = path.join(scratch, `${label.replace(/ /g, '-')}-reweights.json`);
        writeFileSync(reweightsFile, JSON.stringify(c.reweights));
        args.push('--reweights', reweightsFile);
      }
      const { stdout } = await run(bin, args, { cwd: repoRoot, maxBuffer: 64 << 20 });
      expect(JSON.parse(stdout)).toEqual(c.results.slice(0, ROWS_PER_CASE));
    }, 60_000);
  }

  it('explains a mapping from the command line', async () => {
    const map = path.relative(repoRoot, vectorFile('map_tree3.json'));
    const { stdout } = await run(bin, ['crush', 'explain', '--map', map, '--rule', '1', '--result-max', '3', '--x', '5995'], { cwd: repoRoot });
    expect(stdout).toContain('step 2: choose firstn 3 type provider');
    expect(stdout).toContain('rep 2: give up after 51 tries');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('result: [7, 56] = [osd.7, osd.56]');
  }, 60_000);
});

describe('polyfleet crush in-process', () => {
  const map = vectorFile('map_tree3.json');

  it('prints the full results of a range in one JSON array', async () => {
    const expected = JSON.parse(readFileSync(vectorFile('expected_tree3.json'), 'utf8')) as { cases: Case[] };
    const c = expected.cases[10];
    const { code, stdout } = await cli('crush', 'map', '--map', map, '--rule', '5', '--result-max', '4', '--x', '0:10000');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(c?.results);
    expect(stdout).toContain('2147483647');
  });

  it('prints help for crush and for each verb', async () => {
    const top = await cli('crush', '--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('polyfleet crush map --map FILE --rule N --result-max M (--x START:COUNT | --x-file FILE) [--reweights FILE]');
    expect(top.stdout).toContain('polyfleet crush explain --map FILE --rule N --result-max M --x X');
    const verb = await cli('crush', 'map', '--help');
    expect(verb.code).toBe(0);
    expect(verb.stdout).toContain('--reweights FILE');
    expect((await cli('--help')).stdout).toMatch(/crush\s+map inputs with a CRUSH map exactly as Ceph does/);
  });

  it.each([
    [['--rule', 'zero', '--result-max', '3', '--x', '0:1'], '--rule must be a whole number from 0 to 65535, got "zero"'],
    [['--rule', '7', '--result-max', '3', '--x', '0:1'], '--rule 7: the map "tree3" has no such rule'],
    [['--rule', '0', '--result-max', '-1', '--x', '0:1'], '--result-max must be a whole number from 0 to 1024, got "-1"'],
    [['--rule', '0', '--result-max', '3', '--x', '10'], '--x must be START:COUNT (e.g. 0:10000), got "10"'],
    [['--rule', '0', '--result-max', '3', '--x', '4294967295:2'], '--x 4294967295:2 runs past x = 4294967295'],
    [['--rule', '0', '--result-max', '3'], 'give exactly one of --x START:COUNT and --x-file FILE'],
    [['--rule', '0', '--result-max', '3', '--x', '0:1', '--colour', 'red'], "Unknown option '--colour'"],
  ])('exits 2 naming the flag and value for %j', async (args, message) => {
    const { code, stderr } = await cli('crush', 'map', '--map', map, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('polyfleet crush map --map FILE');
  });

  it('exits 1 naming the file when a map or list cannot be used', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'crush-cli-'));
    const badMap = path.join(scratch, 'bad.json');
    writeFileSync(badMap, JSON.stringify({ format: 'crush-testmap-v1', name: 'bad', types: [], devices: [], buckets: [{ id: -1, name: 'r', type_id: 7, items: [] }], rules: [] }));
    const bad = await cli('crush', 'map', '--map', badMap, '--rule', '0', '--result-max', '1', '--x', '0:1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bucket "r" (id -1): type id 7 is not declared in types');
    const xs = path.join(scratch, 'xs.json');
    writeFileSync(xs, '[1, -2]');
    const list = await cli('crush', 'map', '--map', map, '--rule', '0', '--result-max', '3', '--x-file', xs);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain(`--x-file ${xs}: element 1 is -2, expected a u32`);
    const missing = await cli('crush', 'explain', '--map', path.join(scratch, 'none.json'), '--rule', '0', '--result-max', '3', '--x', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read it');
  });

  it('explains as JSON on request', async () => {
    const { code, stdout } = await cli('crush', 'explain', '--map', map, '--rule', '0', '--result-max', '3', '--x', '42', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ map: 'tree3', x: 42, result: [0, 57, 16] });
  });
});
