import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdChartTemplates, crdFiles, GENERATED_CRD_DIRS } from './crd-files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Writes `files` into `dir`, removing generated CRD files (`*.polyfleet.io.yaml`) no longer made. */
function writeDir(dir: string, files: Map<string, string>): void {
  const outDir = join(root, dir);
  mkdirSync(outDir, { recursive: true });
  for (const stale of readdirSync(outDir)) {
    if (stale.endsWith('.polyfleet.io.yaml') && !files.has(stale)) rmSync(join(outDir, stale));
  }
  for (const [name, content] of files) writeFileSync(join(outDir, name), content);
  process.stdout.write(`wrote ${files.size} CRDs to ${dir}/\n`);
}

writeDir(GENERATED_CRD_DIRS.crds, crdFiles());
writeDir(GENERATED_CRD_DIRS.chartCrds, crdFiles());
writeDir(GENERATED_CRD_DIRS.crdChartTemplates, crdChartTemplates());
