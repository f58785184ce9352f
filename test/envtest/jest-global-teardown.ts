import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** Set by jest-global-setup.ts, in the same (jest main) process: the serve.ts child. */
const holder = globalThis as typeof globalThis & { __polyfleetEnvtest?: ChildProcessByStdio<Writable, Readable, null> };

/** Closes the envtest child's stdin, which makes it stop etcd and kube-apiserver, and waits for it. */
export default async function globalTeardown(): Promise<void> {
  const child = holder.__polyfleetEnvtest;
  holder.__polyfleetEnvtest = undefined;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.ref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}
