// Writes to the state file argv[2] without end, printing a line for each acknowledged write, until
// killed: "ack create <name>" after a create, "ack status <name> <n>" after setting its status's
// instanceId to i-<n>. Names start at m-<argv[3]>; argv[4] is compactAfterBytes, small so that
// kills land in compactions too.
import { pino } from 'pino';
import type { Machine } from '../../../../api/index.js';
import { openFileStore } from '../file-store.js';

const [statePath = '', start = '0', compactAfterBytes = '8192'] = process.argv.slice(2);
const store = await openFileStore({ path: statePath, logger: pino({ level: 'silent' }), compactAfterBytes: Number(compactAfterBytes) });

const machine = (name: string): Machine => ({
  apiVersion: 'polyfleet.io/v1alpha1',
  kind: 'Machine',
  metadata: { name, namespace: 'default', labels: { 'polyfleet.io/pool': 'workers' } },
  spec: { pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot: 0, failureDomain: 'sim-a/r1/r1a' },
});

process.stdout.write('ready\n');
for (let i = Number(start); ; i++) {
  const name = `m-${i}`;
  const created = await store.create(machine(name));
  process.stdout.write(`ack create ${name}\n`);
  for (let n = 1; n <= i % 3; n++) {
    const current = await store.get('Machine', { namespace: 'default', name });
    await store.updateStatus({ ...(current ?? created), status: { phase: 'Running', instanceId: `i-${n}` } });
    process.stdout.write(`ack status ${name} ${n}\n`);
  }
}
