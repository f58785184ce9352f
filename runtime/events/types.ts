import type { Kind } from '../../api/index.js';

/** The object an event is about. */
export interface EventRegarding {
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

export type EventType = 'Normal' | 'Warning';

/** What a controller says happened: Warning for failures a human acts on, Normal for creates and deletes. */
export interface EventInput {
  readonly type: EventType;
  /** UpperCamelCase, from a constant list. */
  readonly reason: string;
  /** What the controller did, e.g. "Create", "Delete", "Scale". */
  readonly action: string;
  readonly message: string;
}

/** One stored event; repeats of the same (regarding, type, reason, message) raise `count` instead of adding rows. */
export interface StoredEvent extends EventInput {
  readonly regarding: EventRegarding;
  readonly count: number;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
}

/** Where events go: the cluster's events.k8s.io/v1 Events, or the standalone state file. */
export interface EventSink {
  /** Adds an event or, for a repeat of the same one, bumps its count and last time. */
  write(regarding: EventRegarding, event: EventInput, at: Date): Promise<void>;
  /** Events about one object, oldest first. */
  list(regarding: Omit<EventRegarding, 'uid'>): Promise<StoredEvent[]>;
}

/** What controllers hold: fire and forget; a failing sink is logged, never fails a reconcile. */
export interface EventRecorder {
  record(regarding: EventRegarding, event: EventInput): void;
}
