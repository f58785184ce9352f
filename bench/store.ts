// `npm run bench:store`: the Store backends' figures. Each backend's part lives in its own
// bench/store-<backend>.ts and is called from here, one section each.
import { benchFileStore, type Figure } from './store-file.js';
import { benchEtcdStore } from './store-etcd.js';
import { benchEtcdFailover } from './store-etcd-failover.js';
import { benchKubeStore } from './store-kube.js';

function printSection(title: string, figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.what.length));
  process.stdout.write(`${title}\n${figures.map((f) => `  ${f.what.padEnd(width)}  ${f.value}`).join('\n')}\n\n`);
}

printSection('file backend (runtime/store/file), 10,000 Machines in 100 pools', await benchFileStore(10_000));
printSection('kube backend (runtime/store/kube) on a real kube-apiserver, 10,000 Machines', await benchKubeStore(10_000));
printSection('etcd backend (runtime/store/etcd) on a real etcd, 10,000 Machines', await benchEtcdStore(10_000));
printSection('etcd leader failover (three polyfleet run on a 3-member etcd)', await benchEtcdFailover(20));
