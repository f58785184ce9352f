import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/** The part of jest's project config this hook reads. */
interface ProjectConfig {
  rootDir: string;
}

type ServeProcess = ChildProcessByStdio<Writable, Readable, null>;

/** Where the serve.ts process waits for jest-global-teardown.ts (both run in jest's main process). */
const holder = globalThis as typeof globalThis & { __polyfleetEnvtest?: ServeProcess };

/**
 * Starts one envtest (etcd + kube-apiserver) for all integration suites, building the binaries on
 * the first run (their progress is streamed), and exports KUBECONFIG and POLYFLEET_ENVTEST_INFO,
 * which the test workers (forked afterwards) inherit. Never skips: without Go or KUBEBUILDER_ASSETS
 * (or without kubectl) it fails and says what to install.
 *
 * The envtest runs in a child process (serve.ts, real ESM through tsx, like run.sh), because jest
 * loads global hooks with CommonJS `require`, under which the harness's `./x.js` imports and
 * `import.meta` do not work; hence also no relative runtime imports here. The child stops the
 * servers when its stdin closes, so they go away with jest however jest ends.
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig: ProjectConfig): Promise<void> {
  const { rootDir } = projectConfig;
  const tsx = pathToFileURL(createRequire(join(rootDir, 'package.json')).resolve('tsx')).href;
  const serve = join(rootDir, 'test', 'envtest', 'serve.ts');
  process.stderr.write('\n');
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', tsx, serve, '--require-kubectl'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as Record<string, unknown>);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      reject(new Error(`envtest: ${serve} exited (${signal ?? `code ${String(code)}`}) before it was ready`));
    });
  });
  if (typeof reply.error === 'string') throw new Error(reply.error);
  if (typeof reply.info !== 'string') throw new Error(`envtest: unexpected reply from ${serve}: ${JSON.stringify(reply)}`);

  const info = JSON.parse(readFileSync(reply.info, 'utf8')) as Record<string, string | undefined>;
  process.env.KUBECONFIG = info.kubeconfigPath;
  process.env.POLYFLEET_ENVTEST_INFO = reply.info;
  if (typeof reply.kubectl === 'string') process.env.PATH = [dirname(reply.kubectl), process.env.PATH ?? ''].join(delimiter);
  // Do not let the child keep jest alive: if jest exits without teardown, the child sees its stdin
  // close and stops the servers.
  child.stdout.destroy();
  child.unref();
  holder.__polyfleetEnvtest = child;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `envtest: kube-apiserver ${info.k8sVersion} and etcd ${info.etcdVersion} ready at ${info.server} in ${seconds} s\n`,
  );
}
