import type { Etcd3 } from 'etcd3';
import type { Machine } from '../../api/index.js';
import { connectEtcd, describeEtcdFailure, type EtcdConnectionOptions } from '../../runtime/store/etcd/etcd-connection.js';
import { normalizePrefix } from '../../runtime/store/etcd/etcd-keys.js';
import type { ObjectKey, ReadonlyDeep } from '../../runtime/store/index.js';
import { dnsRecord, registryHost } from './host-record.js';
import { dnsKey, dnsRoot, HOSTS_PREFIX, hostKey, machineOfKey, REGISTERED_PREFIX, registeredKey, unclusteredKey } from './registry-layout.js';

export interface RegistryOptions extends EtcdConnectionOptions {
  /** Root of the registry's keys; default "/polyfleet/". */
  readonly prefix: string;
  /** Also write SkyDNS records under this domain (CoreDNS's etcd plugin). */
  readonly dnsDomain?: string;
  /** TTL of the DNS records, seconds; default 30. */
  readonly dnsTtlSeconds?: number;
}

/** The registry's own record of one Machine (the `registered/` key). */
interface Registration {
  readonly uid: string;
  /** Put under `unclustered/` once: from then on, its absence there is a consumer's claim. */
  readonly offered: boolean;
  /** The `unclustered/` key (relative to the prefix) it was or would be offered under. */
  readonly unclustered: string;
  readonly dnsKey?: string;
}

interface OfferPlan {
  /** The key the Machine is offered under (now or before), if it was. */
  readonly under: string | undefined;
  readonly puts: ReadonlyMap<string, string>;
  readonly deletes: ReadonlySet<string>;
  /** Every `unclustered/` key read, guarding the transaction. */
  readonly seen: readonly [string, Seen | undefined][];
}

interface Seen {
  readonly value: string | undefined;
  readonly modRevision: number;
}

export const DEFAULT_DNS_TTL_SECONDS = 30;

/** A write lost a race with another writer (a leader that has not noticed it lost): read again and retry. */
export class RegistryRaceError extends Error {
  constructor(key: ObjectKey) {
    super(`the registry keys of Machine ${key.namespace}/${key.name} changed while they were written; retrying`);
    this.name = 'RegistryRaceError';
  }
}

/**
 * Writes the node registry (and DNS records) of one Machine at a time, level-based: `sync` makes
 * the keys match the Machine as it is now, whatever was written before or half-done by a crash.
 * Every key of a Machine changes in one etcd transaction, guarded by the mod revisions read first.
 */
export class RegistryWriter {
  private readonly prefix: string;
  private readonly dnsRoot: string | undefined;

  constructor(private readonly client: Etcd3, private readonly options: RegistryOptions) {
    this.prefix = normalizePrefix(options.prefix);
    this.dnsRoot = options.dnsDomain === undefined ? undefined : dnsRoot(options.dnsDomain);
  }

  /** "etcd://HOST:PORT,… prefix /polyfleet/", for messages. */
  get location(): string {
    return `etcd://${this.options.endpoints.join(',')} prefix ${this.prefix}`;
  }

  /**
   * Converges the keys of Machine `key`; `machine` undefined: it is gone. `nameShared`: a Machine
   * of the same name lives in another namespace, so a first offer goes under the namespaced key.
   */
  async sync(key: ObjectKey, machine: ReadonlyDeep<Machine> | undefined, nameShared = false): Promise<void> {
    const live = machine !== undefined && machine.metadata.deletionTimestamp === undefined ? machine : undefined;
    const [registeredSeen, hostSeen] = await Promise.all([registeredKey(key), hostKey(key)].map((k) => this.read(this.prefix + k)));
    const registration = parseRegistration(registeredSeen?.value, key);

    const puts = new Map<string, string>();
    const deletes = new Set<string>();
    const host = live === undefined ? undefined : registryHost(live);
    const hostJson = host === undefined ? undefined : JSON.stringify(host);
    if (hostJson === undefined) {
      if (hostSeen?.value !== undefined) deletes.add(this.prefix + hostKey(key));
    } else if (hostSeen?.value !== hostJson) puts.set(this.prefix + hostKey(key), hostJson);

    const dns = live === undefined || host === undefined || this.dnsRoot === undefined ? undefined : dnsRecord(live, this.options.dnsTtlSeconds ?? DEFAULT_DNS_TTL_SECONDS);
    const newDnsKey = dns === undefined || this.dnsRoot === undefined || live === undefined ? undefined : dnsKey(this.dnsRoot, key.namespace, live.spec.pool, key.name);
    if (registration?.dnsKey !== undefined && registration.dnsKey !== newDnsKey) deletes.add(registration.dnsKey);
    if (newDnsKey !== undefined && (await this.read(newDnsKey))?.value !== JSON.stringify(dns)) puts.set(newDnsKey, JSON.stringify(dns));

    const offer = await this.planOffer(key, live, hostJson, registration, nameShared);
    for (const [k, v] of offer.puts) puts.set(k, v);
    for (const k of offer.deletes) deletes.add(k);

    const registered = this.prefix + registeredKey(key);
    if (live === undefined) {
      if (registeredSeen?.value !== undefined) deletes.add(registered);
    } else {
      const next: Registration = {
        uid: live.metadata.uid ?? '',
        offered: offer.under !== undefined,
        unclustered: offer.under ?? unclusteredKey(key, nameShared),
        ...(newDnsKey === undefined ? {} : { dnsKey: newDnsKey }),
      };
      if (registeredSeen?.value !== JSON.stringify(next)) puts.set(registered, JSON.stringify(next));
    }
    for (const k of puts.keys()) deletes.delete(k);
    if (puts.size === 0 && deletes.size === 0) return;
    await this.commit(key, [[registered, registeredSeen], ...offer.seen], puts, deletes);
  }

  /**
   * The `unclustered/` offer: made once per Machine UID, under the key free then (`<name>`, or
   * `<namespace>/<name>` if the name is shared or its plain key holds another Machine's offer), and
   * kept there; its absence after that is a claim. A gone (or re-created) Machine's offer is
   * withdrawn if nobody claimed it yet.
   */
  private async planOffer(key: ObjectKey, live: ReadonlyDeep<Machine> | undefined, hostJson: string | undefined, registration: Registration | undefined, nameShared: boolean): Promise<OfferPlan> {
    const seen = new Map<string, Seen | undefined>();
    const read = async (relative: string): Promise<Seen | undefined> => {
      const k = this.prefix + relative;
      if (!seen.has(k)) seen.set(k, await this.read(k));
      return seen.get(k);
    };
    const puts = new Map<string, string>();
    const deletes = new Set<string>();
    const uid = live?.metadata.uid;
    const sameMachine = uid !== undefined && registration?.uid === uid;
    let under = sameMachine && registration.offered ? registration.unclustered : undefined;
    if (registration !== undefined && !sameMachine && ours(await read(registration.unclustered), registration.uid)) deletes.add(this.prefix + registration.unclustered);
    if (hostJson !== undefined && uid !== undefined) {
      if (under !== undefined) {
        const current = await read(under);
        if (ours(current, uid) && current?.value !== hostJson) puts.set(this.prefix + under, hostJson);
      } else {
        let candidate = unclusteredKey(key, nameShared);
        const plain = await read(candidate);
        if (!nameShared && plain?.value !== undefined && !ours(plain, uid)) candidate = unclusteredKey(key, true);
        if ((await read(candidate))?.value === undefined) {
          puts.set(this.prefix + candidate, hostJson);
          under = candidate;
        }
      }
    }
    return { under, puts, deletes, seen: [...seen] };
  }

  /** Every Machine the registry holds keys of: what a sweep reconciles, to remove the gone ones. */
  async machinesWithKeys(): Promise<ObjectKey[]> {
    const keys = await this.call('listing the registry', async () => [
      ...(await this.client.getAll().prefix(this.prefix + HOSTS_PREFIX).keys()),
      ...(await this.client.getAll().prefix(this.prefix + REGISTERED_PREFIX).keys()),
    ]);
    const found = new Map<string, ObjectKey>();
    for (const k of keys) {
      const machine = machineOfKey(k.slice(this.prefix.length));
      if (machine !== undefined) found.set(`${machine.namespace}/${machine.name}`, machine);
    }
    return [...found.values()];
  }

  close(): void {
    this.client.close();
  }

  private async commit(key: ObjectKey, guards: readonly [string, Seen | undefined][], puts: ReadonlyMap<string, string>, deletes: ReadonlySet<string>): Promise<void> {
    const [first, ...rest] = guards.map(([k, seen]): [string, 'Mod', '==', number] => [k, 'Mod', '==', seen?.modRevision ?? 0]);
    if (first === undefined) return;
    let txn = this.client.if(...first);
    for (const g of rest) txn = txn.and(...g);
    const ops = [...[...puts].map(([k, v]) => this.client.put(k).value(v)), ...[...deletes].map((k) => this.client.delete().key(k))];
    const res = await this.call(`writing the registry keys of Machine ${key.namespace}/${key.name}`, () => txn.then(...ops).commit());
    if (!res.succeeded) throw new RegistryRaceError(key);
  }

  private async read(key: string): Promise<Seen | undefined> {
    const res = await this.call(`reading ${key}`, () => this.client.get(key).exec());
    const kv = res.kvs[0];
    return kv === undefined ? undefined : { value: kv.value.toString(), modRevision: Number(kv.mod_revision) };
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw describeEtcdFailure(this.options.endpoints, `node registry: ${doing}`, e);
    }
  }
}

/** The registry's etcd client; no call is made yet. Throws (naming the flag) if a DNS domain or TLS file is bad. */
export function openRegistryWriter(options: RegistryOptions): RegistryWriter {
  if (options.dnsDomain !== undefined) dnsRoot(options.dnsDomain);
  return new RegistryWriter(connectEtcd(options), options);
}

/** A registration written before offers could be namespaced has no `unclustered`: it was `<name>`. */
function parseRegistration(value: string | undefined, key: ObjectKey): Registration | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<Registration>;
    if (typeof parsed.uid !== 'string') return undefined;
    const unclustered = typeof parsed.unclustered === 'string' ? parsed.unclustered : unclusteredKey(key);
    return { uid: parsed.uid, offered: parsed.offered === true, unclustered, ...(typeof parsed.dnsKey === 'string' ? { dnsKey: parsed.dnsKey } : {}) };
  } catch {
    return undefined;
  }
}

function ours(seen: Seen | undefined, uid: string | undefined): boolean {
  return seen?.value !== undefined && uid !== undefined && uidOf(seen.value) === uid;
}

function uidOf(json: string): string | undefined {
  try {
    const uid = (JSON.parse(json) as { uid?: unknown }).uid;
    return typeof uid === 'string' ? uid : undefined;
  } catch {
    return undefined;
  }
}
