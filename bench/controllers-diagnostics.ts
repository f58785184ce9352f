// Where the controller bench's bytes and allocations go, for whoever cuts them next. Off unless asked:
//   POLYFLEET_BENCH_HEAP_SNAPSHOTS=DIR   V8 heap snapshots of the file backend's child at convergence and after the
//                                        idle window, of the kube child after the sync and after its idle window
//                                        (open in Chrome DevTools' Memory tab; retainers by constructor)
//   POLYFLEET_BENCH_ALLOC_PROFILE=FILE   a sampling heap profile of everything allocated during the
//                                        idle window, garbage included (.heapprofile, DevTools too)
//   POLYFLEET_BENCH_CPU_PROFILE=FILE     a CPU profile of the file backend's idle window (.cpuprofile, DevTools)
//   POLYFLEET_BENCH_HEAP_SPACES=1        V8's heap spaces (committed against used) after the window
// Each writes to stderr what it wrote; the measured figures are taken before any of them.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

export function heapSnapshot(when: string): void {
  const dir = process.env['POLYFLEET_BENCH_HEAP_SNAPSHOTS'];
  if (dir === undefined || dir === '') return;
  const file = writeHeapSnapshot(join(dir, `controllers-${when}.heapsnapshot`));
  process.stderr.write(`heap snapshot (${when}): ${file}\n`);
}

/** Starts sampling allocations if asked; the returned function stops and writes the profile. */
export async function startAllocationProfile(): Promise<() => Promise<void>> {
  const file = process.env['POLYFLEET_BENCH_ALLOC_PROFILE'];
  if (file === undefined || file === '') return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 32_768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`allocation profile of the idle window: ${file}\n`);
  };
}

/** Starts a CPU profile if asked; the returned function stops and writes it. */
export async function startCpuProfile(): Promise<() => Promise<void>> {
  const file = process.env['POLYFLEET_BENCH_CPU_PROFILE'];
  if (file === undefined || file === '') return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`CPU profile of the idle window: ${file}\n`);
  };
}

export function printHeapSpaces(): void {
  if (process.env['POLYFLEET_BENCH_HEAP_SPACES'] !== '1') return;
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_size > 0) process.stderr.write(`${s.space_name}: committed ${mb(s.space_size)} MB, used ${mb(s.space_used_size)} MB, physical ${mb(s.physical_space_size)} MB\n`);
  }
}
