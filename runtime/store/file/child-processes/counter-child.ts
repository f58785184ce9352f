// One of several processes sharing the state file argv[2]: prints "ready", waits for NodePool "go"
// to appear (so all start at once), then creates argv[4] Machines named <argv[3]>-<i> and, after
// each, adds 1 to NodePool "counter"'s replicas by read-modify-write, retrying on Conflict.
// Prints "done <conflicts>" at the end. Nothing may be lost.
import { pino } from 'pino';
import type { Machine } from '../../../../api/index.js';
import { isConflict } from '../../errors.js';
import { openFileStore } from '../file-store.js';

const [statePath = '', prefix = 'x', count = '10'] = process.argv.slice(2);
const store = await openFileStore({ path: statePath, logger: pino({ level: 'silent' }), pollIntervalMs: 10 });
const key = { namespace: 'default', name: 'counter' };

const machine = (name: string): Machine => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: { name, namespace: 'default' },
  spec: { pool: 'counter', provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot: 0, failureDomain: 'sim-a/r1/r1a' },
});

let conflicts = 0;
async function increment(): Promise<void> {
  for (;;) {
    const pool = await store.get('NodePool', key);
    if (pool === undefined) throw new Error('NodePool counter is missing');
    try {
      await store.update({ ...pool, spec: { ...pool.spec, replicas: pool.spec.replicas + 1 } });
      return;
    } catch (e) {
      if (!isConflict(e)) throw e;
      conflicts++;
      // Our cache was behind another process's write: read the file now rather than at the next notification.
      await store.refresh();
    }
  }
}

process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  const watch = store.watch('NodePool', (e) => {
    if (e.object.metadata.name === 'go') {
      watch.stop();
      resolve();
    }
  });
});
for (let i = 0; i < Number(count); i++) {
  await store.create(machine(`${prefix}-${i}`));
  await increment();
}
await store.close();
process.stdout.write(`done ${conflicts}\n`);
