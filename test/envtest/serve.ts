import { ensureBinaries, requireKubectl } from './binaries.js';
import { startEnvtest, type Envtest } from './harness.js';
import { writeEnvtestInfo } from './info.js';

/**
 * The envtest as a child process, for jest-global-setup.ts: starts etcd and kube-apiserver
 * (building them first if needed, progress on stderr), prints one JSON line on stdout —
 * `{"info": "<path of the envtest.json>"}` once ready, or `{"error": "<why>"}` — and stops both
 * when its stdin closes (teardown, or jest dying in any way) or on SIGINT/SIGTERM/SIGHUP.
 *
 *   node --import tsx test/envtest/serve.ts [--require-kubectl]
 */
async function main(args: string[]): Promise<void> {
  let envtest: Envtest | undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Not started yet: the harness's exit hook kills what has started and removes its data dir.
    if (envtest === undefined) process.exit(1);
    envtest.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.stdin.on('end', stop).on('close', stop).resume();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);

  try {
    const binaries = await ensureBinaries();
    const kubectl = args.includes('--require-kubectl') ? requireKubectl(binaries) : undefined;
    envtest = await startEnvtest({ binaries, handleSignals: false });
    process.stdout.write(`${JSON.stringify({ info: writeEnvtestInfo(envtest), kubectl })}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
    process.exit(1);
  }
}

void main(process.argv.slice(2));
