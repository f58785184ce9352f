// Four projects: `unit` (beside the code, no external processes), `contract` (test/contract: every
// Provider adapter against a server speaking its cloud's wire protocol — moto, test/fakes — on
// loopback), `etcd` (test/etcd: the etcd backend against a real etcd each suite starts) and `integration` (test/integration, against a real kube-apiserver started once by the
// envtest global setup).
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
};
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
};

export default {
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{api,placement,providers,controllers,runtime,inventory,cli,web}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'contract',
      testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'etcd',
      testMatch: ['<rootDir>/test/etcd/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/envtest/jest-global-setup.ts',
      globalTeardown: '<rootDir>/test/envtest/jest-global-teardown.ts',
    },
  ],
};
