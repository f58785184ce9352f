// A fresh clone is all a reader has: no tracked file may point at notes kept outside the repository
// (the architecture is docs/architecture.md). The patterns are built from pieces, so this file's own
// text matches none of them and it is checked like every other file.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Notes that once lived beside the repository, by file name. */
const OUTSIDE_NOTES = ['DESIGN', 'STYLE', 'STACK'].map((name) => `${name}.md`);

/** A relative path climbing one or more folders up and into one named `shared`. */
const SHARED_PATH = new RegExp(String.raw`(?:\.\./)+shared/`, 'g');

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\0').filter((file) => file !== '' && !file.startsWith('node_modules/'));
}

/** Tracked folders: such a path resolving to one of ours (cli/shared, controllers/shared) is fine. */
function trackedFolders(files: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = dirname(file); dir !== '.'; dir = dirname(dir)) folders.add(dir);
  }
  return folders;
}

/** Every line of `text` that points outside the repository, as `file:line: text`. */
function outsideReferences(file: string, text: string, folders: ReadonlySet<string>): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const why: string[] = OUTSIDE_NOTES.filter((note) => line.includes(note));
    for (const match of line.matchAll(SHARED_PATH)) {
      const target = relative(repoRoot, resolve(repoRoot, dirname(file), match[0]));
      const inside = target !== '' && !target.startsWith('..') && folders.has(target.split(sep).join('/').replace(/\/$/, ''));
      if (!inside) why.push(match[0]);
    }
    if (why.length > 0) found.push(`${file}:${i + 1}: ${why.join(', ')}: ${line.trim().slice(0, 160)}`);
  });
  return found;
}

describe('the repository is self-contained', () => {
  it(`no tracked file mentions ${OUTSIDE_NOTES.join(', ')} or a shared folder outside the repository`, () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    const folders = trackedFolders(files);
    const problems: string[] = [];
    for (const file of files) {
      const path = join(repoRoot, file);
      // A tracked file deleted in the working tree, or a submodule, has nothing to read.
      if (!existsSync(path) || !statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      if (bytes.includes(0)) continue;
      problems.push(...outsideReferences(file, bytes.toString('utf8'), folders));
    }
    // Point at docs/architecture.md (or a folder's README), or say the thing where it is needed.
    expect(problems).toEqual([]);
  });

  it('flags the notes, and a shared folder outside the repository, but not cli/shared or controllers/shared', () => {
    const folders = new Set(['cli', 'cli/shared', 'cli/apply']);
    const up = '..';
    const shared = `${up}/shared/`;
    const note = OUTSIDE_NOTES[0] ?? '';
    expect(outsideReferences('README.md', `See \`${shared}${note}\`.`, folders)).toEqual([`README.md:1: ${note}, ${shared}: See \`${shared}${note}\`.`]);
    expect(outsideReferences('placement/x.ts', `// vectors in ${shared}crush-vectors`, folders)).toHaveLength(1);
    expect(outsideReferences('cli/apply/a.ts', `import { x } from '${shared}state.js';`, folders)).toEqual([]);
    expect(outsideReferences('cli/apply/a.ts', `// ${up}/${shared}notes`, folders)).toHaveLength(1);
  });
});
