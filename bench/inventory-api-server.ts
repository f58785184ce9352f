// The inventory REST API on a state file, for bench/inventory.ts: prints its URL, then answers each
// line on stdin with the process's peak RSS so far (bytes), so the bench can see what a request added.
import { pino } from 'pino';
import { startInventoryServer } from '../cli/shared/inventory-server.js';
import { tokenAccess } from '../runtime/auth/index.js';
import { openFileStore } from '../runtime/store/file/index.js';

const [state, token] = process.argv.slice(2);
if (state === undefined || token === undefined) throw new Error('usage: inventory-api-server.ts STATE TOKEN');
const store = await openFileStore({ path: state, readOnly: true, pollIntervalMs: 0, logger: pino({ level: 'silent' }) });
const server = await startInventoryServer(store, { host: '127.0.0.1', port: 0, access: tokenAccess(token) }, pino({ level: 'warn' }));
process.stdout.write(`${server.url}\n`);
process.stdin.setEncoding('utf8').on('data', () => process.stdout.write(`${process.resourceUsage().maxRSS * 1024}\n`));
process.stdin.on('end', () => {
  void server.close().then(() => store.close());
});
