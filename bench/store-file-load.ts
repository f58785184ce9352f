// Run by store-file.ts in a fresh process (node --expose-gc --import tsx): opens the state file
// argv[2] and prints, as JSON, how long loading took and what holding it costs in memory.
import { pino } from 'pino';
import { openFileStore } from '../runtime/store/file/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc();
const baseline = process.memoryUsage();
const started = performance.now();
const store = await openFileStore({ path: process.argv[2] ?? '', readOnly: true, pollIntervalMs: 0, logger: pino({ level: 'silent' }) });
const loadMs = performance.now() - started;
const objects = (await store.list('Machine')).length;
gc();
const loaded = process.memoryUsage();
await store.close();
process.stdout.write(
  JSON.stringify({ objects, loadMs, baselineRss: baseline.rss, rss: loaded.rss, baselineHeap: baseline.heapUsed, heap: loaded.heapUsed }),
);
