export { FileStore, openFileStore, type FileStoreOptions } from './file-store.js';
export { DEFAULT_STATE_PATH } from './state-path.js';
export { readStateSnapshot, type StateSnapshot } from './state-snapshot.js';
export { FileEventSink } from './file-event-sink.js';
export { LEGACY_INSTALLATION_ID } from './installation-id.js';
export { LockTimeoutError } from './file-lock.js';
export { acquireOwnership, OwnedByError, ownershipPath, type Ownership } from './ownership.js';
export { OwnershipElector, type OwnershipElectorOptions } from './ownership-elector.js';
export { CorruptStateError, StateFileFailedError, UnreadableStateError } from './state-file-errors.js';
