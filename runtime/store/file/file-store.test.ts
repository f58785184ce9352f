import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describeStoreConformance } from '../conformance.js';
import { openFileStore } from './file-store.js';

const dirs: string[] = [];
let statePath = '';
const logger = pino({ level: 'silent' });

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreConformance('file', {
  cascades: true,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'polyfleet-file-store-'));
    dirs.push(dir);
    statePath = join(dir, 'state.jsonl');
    return { store: await openFileStore({ path: statePath, logger }), namespace: 'default' };
  },
  reopen() {
    return openFileStore({ path: statePath, logger });
  },
});
