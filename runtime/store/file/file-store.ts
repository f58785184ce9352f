import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import type { Kind, ResourceOf } from '../../../api/index.js';
import { systemClock, type Clock } from '../../clock.js';
import { createLogger } from '../../log.js';
import type { EventSink } from '../../events/types.js';
import { matchesLabels, parseLabelSelector } from '../label-selector.js';
import type { DeleteOptions, GetOptions, ListOptions, ObjectKey, Patch, Store, UnreadableObject, Watch, WatchEvent, WatchHealth, WatchOptions } from '../types.js';
import { FileEventSink } from './file-event-sink.js';
import { LEGACY_INSTALLATION_ID, newInstallationId } from './installation-id.js';
import { cloneJson } from './json-value.js';
import { planCreate, planDelete, planPatch, planUpdate, planUpdateStatus } from './object-writes.js';
import { StateFile } from './state-file.js';
import { WatchHub } from './watch-hub.js';

export interface FileStoreOptions {
  /** The state file; created (with its directory) on first open unless `readOnly`. */
  readonly path: string;
  /** Read only: never creates, locks or writes anything (`polyfleet get`). */
  readonly readOnly?: boolean;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** How long a write waits for another process's write lock before failing. Default 30 s. */
  readonly lockTimeoutMs?: number;
  /** How often to look for other processes' writes if fs.watch says nothing. Default 250 ms; 0 = do not follow them (a one-shot reader). */
  readonly pollIntervalMs?: number;
  /** Compaction starts once the log reaches this size and outgrows the snapshot. Default 4 MiB. */
  readonly compactAfterBytes?: number;
  /** Events kept per namespace, newest first. Default 1,000. */
  readonly eventsPerNamespace?: number;
  /** The installation id a state file this store creates gets. Default "pf-" and 12 random hex digits. */
  readonly newInstallationId?: () => string;
}

/**
 * The Store on a local state file, the embedded default: every object in memory, each write made
 * durable in the file before it is answered, shared by every process that opens the same file.
 * Throws CorruptStateError or UnreadableStateError (naming the file) if the file cannot be used,
 * having changed nothing.
 */
export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  // Warnings only, one readable line each on stderr: a command's stdout is its output.
  const logger = options.logger ?? createLogger({ level: 'warn', format: 'text', destination: pino.destination(2) });
  const hub = new WatchHub(logger);
  const file = await StateFile.open(
    {
      path: resolve(options.path),
      readOnly: options.readOnly ?? false,
      logger,
      clock: options.clock ?? systemClock,
      lockTimeoutMs: options.lockTimeoutMs ?? 30_000,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      compactAfterBytes: options.compactAfterBytes ?? 4 << 20,
      eventsPerNamespace: options.eventsPerNamespace ?? 1_000,
      newInstallationId: options.newInstallationId ?? (() => newInstallationId()),
    },
    (changes) => {
      hub.publish(changes);
    },
  );
  return new FileStore(file, hub);
}

export class FileStore implements Store {
  /** @internal use openFileStore */
  constructor(private readonly file: StateFile, private readonly hub: WatchHub) {}

  /** The state file, absolute. */
  get path(): string {
    return this.file.path;
  }

  /**
   * This installation's identity, unique by default: the `polyfleet.io/managed-by` tag of every cloud
   * instance it makes, so installations sharing a cloud account never touch each other's. Made
   * ("pf-" and 12 random hex digits) with the state file and kept in its header (through every
   * compaction), so every process that opens the file, at any time, gets the same one. A file made
   * before ids existed has none and gets "polyfleet", the tag every installation used then, and keeps it.
   * Throws only for a read-only store on a state file that does not exist yet (no id has been made).
   */
  get installationId(): string {
    const { state } = this.file;
    if (state.installationId !== undefined) return state.installationId;
    if (state.hasHeader) return LEGACY_INSTALLATION_ID;
    throw new Error(`state file ${this.path} does not exist yet, so it has no installation id (open it writable to create it)`);
  }

  /** The latest revision this process has seen: every write increments it, in every process. */
  get revision(): number {
    return this.file.state.rv;
  }

  get<K extends Kind>(kind: K, key: ObjectKey, options: GetOptions = {}): Promise<ResourceOf<K> | undefined> {
    const found = this.file.state.objects.get(kind, key);
    if (found === undefined) return Promise.resolve(undefined);
    return Promise.resolve((options.readOnly === true ? found : cloneJson(found)) as ResourceOf<K>);
  }

  list<K extends Kind>(kind: K, options: ListOptions = {}): Promise<ResourceOf<K>[]> {
    const selector = parseLabelSelector(options.labelSelector ?? '');
    const found: ResourceOf<K>[] = [];
    // In key order, as the API server lists (etcd's keys are sorted).
    this.file.state.objects.forEachInKeyOrder(kind, (object) => {
      const { namespace = '', labels } = object.metadata;
      if (options.namespace !== undefined && namespace !== options.namespace) return;
      if (selector.length > 0 && !matchesLabels(selector, labels)) return;
      // Stored objects are never edited in place (a write replaces them), so a reader may have them.
      found.push((options.readOnly === true ? object : cloneJson(object)) as ResourceOf<K>);
    });
    return Promise.resolve(found);
  }

  watch<K extends Kind>(kind: K, handler: (event: WatchEvent<K>) => void, options: WatchOptions = {}): Watch {
    const watch = this.hub.add(kind, options.namespace, handler, [...this.file.state.objects.values(kind)]);
    return { ...watch, health: () => this.health() };
  }

  async create<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const created = await this.file.commit((state, ctx) => planCreate(state.objects, object, ctx));
    return cloneJson(created) as ResourceOf<K>;
  }

  async update<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const updated = await this.file.commit((state, ctx) => planUpdate(state.objects, object, ctx));
    return cloneJson(updated) as ResourceOf<K>;
  }

  async patch<K extends Kind>(kind: K, key: ObjectKey, patch: Patch): Promise<ResourceOf<K>> {
    const patched = await this.file.commit((state, ctx) => planPatch(state.objects, kind, key, patch, ctx));
    return cloneJson(patched) as ResourceOf<K>;
  }

  async updateStatus<K extends Kind>(object: ResourceOf<K> & { kind: K }): Promise<ResourceOf<K>> {
    const updated = await this.file.commit((state, ctx) => planUpdateStatus(state.objects, object, ctx));
    return cloneJson(updated) as ResourceOf<K>;
  }

  delete(kind: Kind, key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    return this.file.commit((state, ctx) => planDelete(state.objects, kind, key, options, ctx));
  }

  /**
   * Always empty: every object in the file was validated by the schema of the version that wrote
   * it, and the file is read without dropping any (an object a newer version wrote stays as it is).
   */
  unreadable(_kind: Kind, _namespace?: string): readonly UnreadableObject[] {
    return [];
  }

  /** Not ok once the state file failed: watchers (and readers) no longer see what other processes write. */
  private health(): WatchHealth {
    const failed = this.file.failed;
    return failed === undefined ? { ok: true } : { ok: false, detail: `the state file cannot be used any more: ${failed.message}` };
  }

  /** Events kept in this state file, aggregated and bounded per namespace. */
  eventSink(): EventSink {
    return new FileEventSink(this.file);
  }

  /** Reads other processes' writes now rather than at the next notification. */
  refresh(): Promise<void> {
    return this.file.refresh();
  }

  async close(): Promise<void> {
    this.hub.stopAll();
    await this.file.close();
  }
}
