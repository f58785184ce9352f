import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdFiles } from './crd-files.js';

const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../crds');
mkdirSync(outDir, { recursive: true });
const files = crdFiles();
for (const stale of readdirSync(outDir)) {
  if (stale.endsWith('.yaml') && !files.has(stale)) rmSync(join(outDir, stale));
}
for (const [name, content] of files) writeFileSync(join(outDir, name), content);
process.stdout.write(`wrote ${files.size} CRDs to ${outDir}\n`);
