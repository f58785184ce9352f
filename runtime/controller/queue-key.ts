import { DEFAULT_NAMESPACE, keyString, type ObjectKey } from '../store/index.js';

/** The queue's string for a key; neither a namespace nor a name can hold "/". */
export const toQueueKey: (key: ObjectKey) => string = keyString;

export function fromQueueKey(item: string): ObjectKey {
  const slash = item.indexOf('/');
  if (slash < 0) return { namespace: DEFAULT_NAMESPACE, name: item };
  return { namespace: item.slice(0, slash), name: item.slice(slash + 1) };
}
