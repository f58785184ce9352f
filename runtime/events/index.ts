// `export *` only: a bundler then leaves out, for each command, the modules it uses nothing of
// (polyfleet run never loads client-node through this barrel; named re-exports defeat that).
export * from './types.js';
export * from './recorder.js';
export * from './kube-event-sink.js';
export * from './events-client.js';
