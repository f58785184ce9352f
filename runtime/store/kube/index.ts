export { KubeStore, type KubeStoreOptions } from './kube-store.js';
export { FIELD_MANAGER } from './custom-resource-client.js';
