import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Envtest } from './harness.js';

/** Names the JSON file describing the running envtest (set by the jest global setup and run.sh). */
export const ENVTEST_INFO_ENV = 'POLYFLEET_ENVTEST_INFO';

/** How to reach the shared envtest, for tests running in other processes (jest workers). */
export interface EnvtestInfo {
  kubeconfigPath: string;
  server: string;
  token: string;
  caFile: string;
  dataDir: string;
  etcdEndpoint: string;
  k8sVersion: string;
  etcdVersion: string;
}

/** Writes `<dataDir>/envtest.json` (removed with the data dir) and returns its path. */
export function writeEnvtestInfo(envtest: Envtest): string {
  const info: EnvtestInfo = {
    kubeconfigPath: envtest.kubeconfigPath,
    server: envtest.server,
    token: envtest.token,
    caFile: envtest.caFile,
    dataDir: envtest.dataDir,
    etcdEndpoint: envtest.etcdEndpoint,
    k8sVersion: envtest.k8sVersion,
    etcdVersion: envtest.etcdVersion,
  };
  const path = join(envtest.dataDir, 'envtest.json');
  writeFileSync(path, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** The shared envtest's connection info; throws if this process was not started under one. */
export function readEnvtestInfo(): EnvtestInfo {
  const path = process.env[ENVTEST_INFO_ENV];
  if (path === undefined || path === '') {
    throw new Error(
      `${ENVTEST_INFO_ENV} is not set: run integration tests with \`npm run test:integration\` ` +
        '(whose jest global setup starts the envtest) or under `test/envtest/run.sh`',
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as EnvtestInfo;
}
