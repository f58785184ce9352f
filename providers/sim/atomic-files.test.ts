import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileExclusive, sweepStaleTemps, writeFileAtomic } from './atomic-files.js';

describe('atomic sim files', () => {
  let dir: string;
  const temps = (): string => join(dir, 'tmp');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a file once: a second create leaves the first content and reports it', async () => {
    const path = join(dir, 'sub', 'a.json');
    expect(await createFileExclusive(path, 'first', temps())).toBe(true);
    expect(await createFileExclusive(path, 'second', temps())).toBe(false);
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(temps())).toEqual([]);
  });

  it('lets exactly one of many concurrent creates win', async () => {
    const path = join(dir, 'raced.json');
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => createFileExclusive(path, `writer ${i}`, temps())));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await readFile(path, 'utf8')).toBe(`writer ${wins.indexOf(true)}`);
  });

  it('replaces a file whole', async () => {
    const path = join(dir, 'faults.json');
    await writeFileAtomic(path, 'old', temps());
    await writeFileAtomic(path, 'new', temps());
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(temps())).toEqual([]);
  });

  it('sweeps temp files of dead processes and keeps those of live ones', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(temps());
    await writeFile(join(temps(), `${deadPid}-abc.tmp`), 'x');
    await writeFile(join(temps(), `${process.pid}-def.tmp`), 'y');
    await sweepStaleTemps(temps());
    expect(await readdir(temps())).toEqual([`${process.pid}-def.tmp`]);
  });
});
