export { startFakeGce } from './fake-gce.js';
export type { FakeGce, FakeGceFault, FakeGceMethod, FakeGceOptions } from './fake-gce.js';
