/** What a work queue reports, kept free of any metrics library (runtime/metrics implements it). */
export interface QueueMetrics {
  /** An item was queued that was not already waiting (workqueue_adds_total). */
  added(): void;
  /** How many items wait to be handed out now (workqueue_depth). */
  depth(items: number): void;
  /** How long an item waited between being queued and handed out (workqueue_queue_duration_seconds). */
  waited(seconds: number): void;
  /** How long an item was processed, from hand-out to done (workqueue_work_duration_seconds). */
  worked(seconds: number): void;
  /** A rate-limited retry was scheduled (workqueue_retries_total). */
  retried(): void;
}

export const noQueueMetrics: QueueMetrics = {
  added() {},
  depth() {},
  waited() {},
  worked() {},
  retried() {},
};
