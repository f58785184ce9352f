import {
  EventsV1Api,
  EventsV1Event,
  PatchStrategy,
  V1MicroTime,
  V1ObjectMeta,
  V1ObjectReference,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { API_VERSION } from '../../api/index.js';
import type { EventRegarding, EventType, StoredEvent } from './types.js';

/** An events.k8s.io/v1 Event as the sink writes it first. */
export interface NewEvent {
  readonly name: string;
  readonly regarding: EventRegarding;
  readonly type: EventType;
  readonly reason: string;
  readonly action: string;
  readonly note: string;
  readonly eventTime: Date;
  readonly reportingController: string;
  readonly reportingInstance: string;
}

/** The Event is no longer there (Events expire, after one hour by default): start a new one. */
export class EventGoneError extends Error {
  constructor(namespace: string, name: string, options?: ErrorOptions) {
    super(`Event ${namespace}/${name} no longer exists`, options);
    this.name = 'EventGoneError';
  }
}

/** The three calls the sink makes. */
export interface EventsClient {
  create(event: NewEvent): Promise<void>;
  /** Throws EventGoneError if the Event has expired. */
  updateSeries(namespace: string, name: string, series: { readonly count: number; readonly lastObservedTime: Date }): Promise<void>;
  /** Events about one object, in any order. */
  list(regarding: Omit<EventRegarding, 'uid'>): Promise<StoredEvent[]>;
}

const FIELD_MANAGER = 'polyfleet';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Events on the Kubernetes API. */
export class KubeEventsClient implements EventsClient {
  private readonly api: EventsV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(EventsV1Api);
  }

  async create(event: NewEvent): Promise<void> {
    await this.api.createNamespacedEvent({ namespace: event.regarding.namespace, body: toKubeEvent(event), fieldManager: FIELD_MANAGER });
  }

  async updateSeries(namespace: string, name: string, series: { readonly count: number; readonly lastObservedTime: Date }): Promise<void> {
    const body = { series: { count: series.count, lastObservedTime: new V1MicroTime(series.lastObservedTime.getTime()) } };
    try {
      await this.api.patchNamespacedEvent({ namespace, name, body, fieldManager: FIELD_MANAGER }, mergePatch);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 404) throw new EventGoneError(namespace, name, { cause: error });
      throw error;
    }
  }

  async list(regarding: Omit<EventRegarding, 'uid'>): Promise<StoredEvent[]> {
    const list = await this.api.listNamespacedEvent({
      namespace: regarding.namespace,
      fieldSelector: `regarding.kind=${regarding.kind},regarding.name=${regarding.name}`,
    });
    return list.items.flatMap((e) => {
      const stored = fromKubeEvent(e, regarding);
      return stored === undefined ? [] : [stored];
    });
  }
}

function toKubeEvent(event: NewEvent): EventsV1Event {
  const metadata = new V1ObjectMeta();
  metadata.name = event.name;
  metadata.namespace = event.regarding.namespace;
  const regarding = new V1ObjectReference();
  regarding.apiVersion = API_VERSION;
  regarding.kind = event.regarding.kind;
  regarding.namespace = event.regarding.namespace;
  regarding.name = event.regarding.name;
  regarding.uid = event.regarding.uid;
  const body = new EventsV1Event();
  body.metadata = metadata;
  body.regarding = regarding;
  // MicroTime: the API server wants six fractional digits, which V1MicroTime writes.
  body.eventTime = new V1MicroTime(event.eventTime.getTime());
  body.type = event.type;
  body.reason = event.reason;
  body.action = event.action;
  body.note = event.note;
  body.reportingController = event.reportingController;
  body.reportingInstance = event.reportingInstance;
  return body;
}

/**
 * The first of `times` that is a time. They arrive as strings whatever the generated types say, and
 * Events written through core/v1 (by kubectl or older tools) have no eventTime, only the old fields.
 */
function isoTime(...times: unknown[]): string {
  for (const t of times) {
    if (typeof t !== 'string' && !(t instanceof Date)) continue;
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return new Date(0).toISOString();
}

function fromKubeEvent(e: EventsV1Event, regarding: Omit<EventRegarding, 'uid'>): StoredEvent | undefined {
  if (e.type !== 'Normal' && e.type !== 'Warning') return undefined;
  const first = isoTime(e.eventTime, e.deprecatedFirstTimestamp, e.metadata?.creationTimestamp);
  return {
    regarding: { ...regarding, ...(e.regarding?.uid === undefined ? {} : { uid: e.regarding.uid }) },
    type: e.type,
    reason: e.reason ?? '',
    action: e.action ?? '',
    message: e.note ?? '',
    count: e.series?.count ?? e.deprecatedCount ?? 1,
    firstTimestamp: first,
    lastTimestamp: isoTime(e.series?.lastObservedTime, e.deprecatedLastTimestamp, first),
  };
}
