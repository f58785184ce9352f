export * from './types.js';
export { DedupingRecorder, type DedupingRecorderOptions } from './recorder.js';
export { cutToBytes, KubeEventSink, REPORTING_CONTROLLER, type KubeEventSinkOptions } from './kube-event-sink.js';
export { EventGoneError, KubeEventsClient, type EventsClient, type NewEvent } from './events-client.js';
