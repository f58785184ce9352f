// Opens the state file argv[2] (read-only if argv[3] is "read-only") and prints "id <installationId>".
import { pino } from 'pino';
import { openFileStore } from '../file-store.js';

const [statePath = '', mode = 'write'] = process.argv.slice(2);
const store = await openFileStore({ path: statePath, readOnly: mode === 'read-only', pollIntervalMs: 0, logger: pino({ level: 'silent' }) });
process.stdout.write(`id ${store.installationId}\n`);
await store.close();
