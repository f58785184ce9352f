import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Lease, Namespace } from 'etcd3';
import type { Logger } from 'pino';
import type { LeaderElector, LeadershipHandlers } from '../../manager/leader-elector.js';
import { LEADER_KEY } from './etcd-keys.js';
import { leaderTiming, type LeaderTiming } from './leader-timing.js';

export interface EtcdLeaseElectorOptions {
  readonly ns: Namespace;
  readonly logger: Logger;
  /** The leader lease: a dead leader is replaced within it. Default 15 s. */
  readonly ttlSeconds?: number;
}

type Phase = 'idle' | 'campaigning' | 'leading' | 'done';

/** The leader key as a follower last saw it change, by the follower's own clock. */
interface Sighting {
  readonly modRevision: string;
  readonly holder: string;
  readonly since: number;
}

const now = (): number => performance.now();

/**
 * Leadership on etcd: the leader key, bound to a lease this process keeps alive and rewritten by
 * the leader every `renewMs` (compare-and-swap on its own last revision). A follower reads the key
 * every `pollMs` and writes itself in when the key is gone (a leader that stops gracefully revokes
 * its lease) or has not changed for `staleMs` by the follower's clock (a dead leader): the same
 * scheme as Kubernetes' Lease election, so a handover never waits on etcd's own lease expiry, which
 * etcd restarts whenever its raft leader changes. A leader that cannot renew stops leading at
 * `fenceMs`, before any follower can take over: see `leaderTiming`.
 */
export class EtcdLeaseElector implements LeaderElector {
  readonly identity = `${hostname()}_${String(process.pid)}_${randomBytes(4).toString('hex')}`;
  private readonly timing: LeaderTiming;
  private phase: Phase = 'idle';
  private handlers: LeadershipHandlers | undefined;
  private lease: Lease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fence: NodeJS.Timeout | undefined;
  private seen: Sighting | undefined;
  /** The leader key's revision after this leader's last write. */
  private ownRevision = '';
  /** When the last write and the last keepalive etcd confirmed were sent: both keep the key. */
  private writtenFrom = 0;
  private keptAliveFrom = 0;

  constructor(private readonly options: EtcdLeaseElectorOptions) {
    this.timing = leaderTiming(options.ttlSeconds);
  }

  run(handlers: LeadershipHandlers): void {
    if (this.phase !== 'idle') throw new Error(`EtcdLeaseElector ${this.identity}: run() called twice; one term per run`);
    this.handlers = handlers;
    this.phase = 'campaigning';
    void this.campaign();
  }

  async stop(): Promise<void> {
    const wasLeading = this.phase === 'leading';
    this.phase = 'done';
    clearTimeout(this.timer);
    clearInterval(this.fence);
    if (wasLeading) this.handlers?.onStoppedLeading();
    const lease = this.lease;
    this.lease = undefined;
    await lease?.revoke().catch((err: unknown) => { this.options.logger.warn({ err }, 'could not revoke the leader lease; it expires by itself'); });
  }

  private async campaign(): Promise<void> {
    if (this.phase !== 'campaigning') return;
    try {
      const { kvs } = await this.options.ns.get(LEADER_KEY).exec();
      const kv = kvs[0];
      if (kv === undefined) await this.take(undefined);
      else await this.considerTakingOver(kv.mod_revision, kv.value.toString());
    } catch (err) {
      this.options.logger.warn({ err }, 'failed to campaign for the etcd leader key; retrying');
    }
    if (this.stillCampaigning()) this.timer = setTimeout(() => { void this.campaign(); }, this.timing.pollMs);
  }

  private async considerTakingOver(modRevision: string, holder: string): Promise<void> {
    const at = now();
    if (this.seen?.modRevision !== modRevision) {
      this.seen = { modRevision, holder, since: at };
      return;
    }
    if (at - this.seen.since < this.timing.staleMs) return;
    if (await this.take(modRevision)) {
      this.options.logger.warn({ previous: holder, unchangedMs: Math.round(at - this.seen.since) }, 'took the etcd leader key over from a leader that stopped renewing it');
    }
  }

  /** Writes this process into the leader key if it is absent (`over` undefined) or still at revision `over`. */
  private async take(over: string | undefined): Promise<boolean> {
    const { ns, logger } = this.options;
    const lease = ns.lease(this.timing.leaseMs / 1000);
    lease.on('lost', (err) => { this.lost(lease, err); });
    let firedAt = now();
    lease.on('keepaliveFired', () => { firedAt = now(); });
    lease.on('keepaliveSucceeded', () => { this.keptAliveFrom = firedAt; });
    try {
      const sentAt = now();
      const id = await lease.grant();
      const guard = over === undefined ? ns.if(LEADER_KEY, 'Create', '==', 0) : ns.if(LEADER_KEY, 'Mod', '==', over);
      const res = await guard.then(ns.put(LEADER_KEY).value(this.identity).lease(id)).commit();
      if (res.succeeded && this.stillCampaigning()) {
        this.lease = lease;
        this.ownRevision = res.header.revision;
        this.writtenFrom = sentAt;
        this.keptAliveFrom = sentAt;
        this.phase = 'leading';
        logger.info({ identity: this.identity }, 'holds the etcd leader key; leading');
        this.handlers?.onStartedLeading();
        this.renewAndFence(lease);
        return true;
      }
    } catch (err) {
      logger.warn({ err }, 'failed to write the etcd leader key; retrying');
    }
    lease.release();
    await lease.revoke().catch(() => undefined);
    return false;
  }

  /**
   * Rewrites the leader key every `renewMs` while it is still this leader's write, and stops
   * leading once `fenceMs` passed since the last write or keepalive etcd confirmed was sent.
   * etcd3's own 'lost' comes only after two TTLs.
   */
  private renewAndFence(lease: Lease): void {
    const { ns } = this.options;
    const renew = async (): Promise<void> => {
      if (this.lease !== lease) return;
      const sentAt = now();
      try {
        const id = await lease.grant();
        const res = await ns.if(LEADER_KEY, 'Mod', '==', this.ownRevision).then(ns.put(LEADER_KEY).value(this.identity).lease(id)).commit();
        if (!res.succeeded) {
          this.lost(lease, new Error('another process wrote the leader key'));
          return;
        }
        this.ownRevision = res.header.revision;
        this.writtenFrom = sentAt;
      } catch (err) {
        this.options.logger.warn({ err }, 'failed to renew the etcd leader key; retrying');
      }
      if (this.lease === lease) this.timer = setTimeout(() => { void renew(); }, this.timing.renewMs);
    };
    this.timer = setTimeout(() => { void renew(); }, this.timing.renewMs);
    this.fence = setInterval(() => {
      const since = now() - Math.min(this.writtenFrom, this.keptAliveFrom);
      if (since > this.timing.fenceMs) this.lost(lease, new Error(`no renewal of the leader key confirmed for ${String(Math.round(since))} ms of a ${String(this.timing.leaseMs)} ms lease`));
    }, this.timing.fenceCheckMs);
  }

  /** Read through a method: `stop` may run while a campaign awaits, which narrowing cannot see. */
  private stillCampaigning(): boolean {
    return this.phase === 'campaigning';
  }

  private lost(lease: Lease, err: Error): void {
    if (this.lease !== lease || this.phase !== 'leading') return;
    this.options.logger.error({ err, identity: this.identity }, 'lost the etcd leader lease; stopped leading');
    this.phase = 'done';
    this.lease = undefined;
    clearTimeout(this.timer);
    clearInterval(this.fence);
    lease.release();
    this.handlers?.onStoppedLeading();
  }
}

/** The identity of the process holding the leader key, if one does. */
export async function currentLeader(ns: Namespace): Promise<string | undefined> {
  return (await ns.get(LEADER_KEY).string()) ?? undefined;
}
