import type { Kind } from '../../api/index.js';
import type { Store } from '../store/index.js';
import { storeRequestCode, type StoreRequestMetrics, type StoreVerb } from './store-metrics.js';

/** `store`, counting every call in polyfleet_store_requests_total; a backend needs to know nothing of metrics. */
export function instrumentStore(store: Store, backend: string, metrics: StoreRequestMetrics): Store {
  const counted = async <T>(verb: StoreVerb, kind: Kind, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      metrics.record({ backend, verb, kind, code: 'OK' });
      return result;
    } catch (error) {
      metrics.record({ backend, verb, kind, code: storeRequestCode(error) });
      throw error;
    }
  };
  return {
    get: (kind, key, options) => counted('get', kind, () => store.get(kind, key, options)),
    list: (kind, options) => counted('list', kind, () => store.list(kind, options)),
    watch: (kind, handler, options) => {
      const watch = store.watch(kind, handler, options);
      metrics.record({ backend, verb: 'watch', kind, code: 'OK' });
      return watch;
    },
    create: (object) => counted('create', object.kind, () => store.create(object)),
    update: (object) => counted('update', object.kind, () => store.update(object)),
    patch: (kind, key, patch) => counted('patch', kind, () => store.patch(kind, key, patch)),
    updateStatus: (object) => counted('updateStatus', object.kind, () => store.updateStatus(object)),
    delete: (kind, key, options) => counted('delete', kind, () => store.delete(kind, key, options)),
    unreadable: (kind, namespace) => store.unreadable(kind, namespace),
    close: () => store.close(),
  };
}
