import { PROVIDER_TYPES } from '../api/index.js';
import type { ProviderAccount } from '../api/index.js';
import { SimProvider } from './sim/index.js';
import type { Clock, Provider } from './types.js';

export type ProviderType = ProviderAccount['type'];

/** The account's Secret data (or standalone credentials), key to value. Never logged. */
export type ProviderCredentials = Readonly<Record<string, string>>;

/** What the process, not the Strategy, decides about every provider it makes. */
export interface ProviderOptions {
  readonly clock?: Clock;
  /** sim: the sim dir (default $POLYFLEET_SIM_DIR, else .polyfleet/sim). */
  readonly simDir?: string;
}

export type ProviderFactory = (account: ProviderAccount, credentials: ProviderCredentials, options: ProviderOptions) => Provider;

/** Provider types whose adapter is built; the others are in the API but not in this build yet. */
const FACTORIES: Partial<Record<ProviderType, ProviderFactory>> = {
  sim: (account, credentials, options) =>
    new SimProvider({
      account: account.name,
      ...(options.simDir === undefined ? {} : { dir: options.simDir }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(credentials.apiKey === undefined ? {} : { apiKey: credentials.apiKey }),
    }),
};

/** A Strategy names a provider type polyfleet does not know, or one whose adapter this build lacks. */
export class ProviderUnavailableError extends Error {
  constructor(readonly account: string, readonly type: string) {
    const known = (PROVIDER_TYPES as readonly string[]).includes(type);
    super(
      known
        ? `provider account "${account}" has type "${type}", which this build of polyfleet cannot use yet (available: ${availableProviderTypes().join(', ')})`
        : `provider account "${account}" has type "${type}", which is not a provider type polyfleet knows (known: ${PROVIDER_TYPES.join(', ')})`,
    );
    this.name = 'ProviderUnavailableError';
  }
}

export function availableProviderTypes(): ProviderType[] {
  return PROVIDER_TYPES.filter((t) => FACTORIES[t] !== undefined);
}

/** The Provider for one account of a Strategy; throws ProviderUnavailableError for a type without an adapter. */
export function createProvider(account: ProviderAccount, credentials: ProviderCredentials = {}, options: ProviderOptions = {}): Provider {
  const factory = Object.hasOwn(FACTORIES, account.type) ? FACTORIES[account.type] : undefined;
  if (factory === undefined) throw new ProviderUnavailableError(account.name, account.type);
  return factory(account, credentials, options);
}
