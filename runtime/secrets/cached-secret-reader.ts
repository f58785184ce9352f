import type { Clock } from '../clock.js';
import { CREDENTIALS_SECRET_TYPE, type SecretContent, type SecretReader } from './secret-content.js';

/** A Secret read is kept this long, so an edited Secret is in use this soon after. */
export const SECRET_MAX_AGE_MS = 30_000;

export interface CachedSecretReaderOptions {
  readonly secrets: SecretReader;
  readonly clock: Clock;
  /** Default SECRET_MAX_AGE_MS; 0 reads again every time. */
  readonly maxAgeMs?: number;
}

interface CachedRead {
  readonly readAtMs: number;
  readonly content: Promise<SecretContent | undefined>;
}

/**
 * Keeps each read for `maxAgeMs` (every account of every reconcile, every Machine of a scale-out,
 * would otherwise GET it). A missing Secret or a failed read is not kept, so the next caller finds
 * a Secret as soon as it is created. Of a Secret not of CREDENTIALS_SECRET_TYPE only the type is
 * kept: its data is no business of polyfleet's and is not held in memory.
 */
export function cachedSecretReader(options: CachedSecretReaderOptions): SecretReader {
  const maxAgeMs = options.maxAgeMs ?? SECRET_MAX_AGE_MS;
  const cache = new Map<string, CachedRead>();
  return {
    read(namespace, name) {
      const key = `${namespace}/${name}`;
      const now = options.clock.now().getTime();
      const hit = cache.get(key);
      if (hit !== undefined && now - hit.readAtMs < maxAgeMs) return hit.content;
      const content = options.secrets.read(namespace, name).then((c) => (c === undefined || c.type === CREDENTIALS_SECRET_TYPE ? c : { type: c.type, data: {} }));
      const entry: CachedRead = { readAtMs: now, content };
      cache.set(key, entry);
      const forget = (): void => {
        if (cache.get(key) === entry) cache.delete(key);
      };
      void content.then((c) => {
        if (c === undefined) forget();
      }, forget);
      return content;
    },
  };
}
