import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { ensureBinaries, findOnPath, pathWithKubectl, requireKubectl } from './binaries.js';
import { startEnvtest, type Envtest } from './harness.js';
import { ENVTEST_INFO_ENV, writeEnvtestInfo } from './info.js';

/**
 * `test/envtest/run.sh CMD…`: starts etcd and kube-apiserver, runs CMD with KUBECONFIG (and
 * POLYFLEET_ENVTEST_INFO) pointing at them, stops both, and exits with CMD's status. SIGINT,
 * SIGTERM and SIGHUP are passed on to CMD; the servers are stopped after it has exited.
 */
async function main(argv: string[]): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const [command, ...commandArgs] = args;
  if (command === undefined) {
    process.stderr.write('usage: test/envtest/run.sh CMD [ARG…]   (e.g. test/envtest/run.sh kubectl get crd)\n');
    return 2;
  }

  // Filled in as we go; the signal handler looks at what exists so far.
  const state: { child?: ChildProcess; envtest?: Envtest; caught?: NodeJS.Signals } = {};
  const onSignal = (signal: NodeJS.Signals): void => {
    state.caught ??= signal;
    const { child } = state;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    } else if (state.envtest === undefined) {
      // Still starting: the harness's exit hook kills whatever has started and removes its data dir.
      process.exit(128 + constants.signals[signal]);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const started = performance.now();
  const binaries = await ensureBinaries();
  const kubectl = requireKubectl(binaries);
  const envtest = await startEnvtest({ binaries, handleSignals: false });
  state.envtest = envtest;
  try {
    process.stderr.write(
      `envtest: kube-apiserver ${envtest.k8sVersion} and etcd ${envtest.etcdVersion} ready at ${envtest.server} ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s; KUBECONFIG=${envtest.kubeconfigPath}\n`,
    );
    if (state.caught !== undefined) return 128 + constants.signals[state.caught];
    const env = {
      ...process.env,
      PATH: pathWithKubectl(kubectl),
      KUBECONFIG: envtest.kubeconfigPath,
      [ENVTEST_INFO_ENV]: writeEnvtestInfo(envtest),
    };
    // With a parent-death signal too (where setpriv exists): if this process is SIGKILLed, CMD
    // should not outlive the servers it was started against.
    const setpriv = findOnPath('setpriv');
    const running =
      setpriv === undefined
        ? spawn(command, commandArgs, { stdio: 'inherit', env })
        : spawn(setpriv, ['--pdeathsig', 'TERM', '--', command, ...commandArgs], { stdio: 'inherit', env });
    state.child = running;
    return await new Promise<number>((resolve) => {
      running.once('error', (err) => {
        process.stderr.write(`envtest: cannot run ${command}: ${err.message}\n`);
        resolve(127);
      });
      running.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
      });
    });
  } finally {
    await envtest.stop();
  }
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
