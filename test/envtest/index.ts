// The envtest harness's public surface (see README.md).
export { ensureBinaries, findOnPath, requireKubectl, type EnvtestBinaries } from './binaries.js';
export { startEnvtest, type Envtest, type EnvtestOptions } from './harness.js';
export { ENVTEST_INFO_ENV, readEnvtestInfo, writeEnvtestInfo, type EnvtestInfo } from './info.js';
