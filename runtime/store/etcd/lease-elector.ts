import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Lease, Namespace } from 'etcd3';
import type { Logger } from 'pino';
import type { LeaderElector, LeadershipHandlers } from '../../manager/leader-elector.js';
import { LEADER_KEY } from './etcd-keys.js';

export interface EtcdLeaseElectorOptions {
  readonly ns: Namespace;
  readonly logger: Logger;
  /** The lease's TTL: how long a dead leader holds the key. Default 15 s. */
  readonly ttlSeconds?: number;
  /** How often a follower tries for the key. Default 1 s. */
  readonly retryMs?: number;
}

type Phase = 'idle' | 'campaigning' | 'leading' | 'done';

/**
 * Leadership on etcd: the leader key, written only if absent and bound to a lease this process
 * keeps alive. A leader that dies stops renewing and its key goes with the lease after the TTL; one
 * that stops gracefully revokes the lease, so a follower takes over at its next try. A leader that
 * cannot renew (cut off from etcd) stops leading before its lease can expire: see `fenceBy`.
 */
export class EtcdLeaseElector implements LeaderElector {
  readonly identity = `${hostname()}_${String(process.pid)}_${randomBytes(4).toString('hex')}`;
  private phase: Phase = 'idle';
  private handlers: LeadershipHandlers | undefined;
  private lease: Lease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fence: NodeJS.Timeout | undefined;
  /** When the last renewal etcd confirmed was sent: the lease lives at least TTL from then. */
  private renewedFrom = 0;

  constructor(private readonly options: EtcdLeaseElectorOptions) {}

  run(handlers: LeadershipHandlers): void {
    if (this.phase !== 'idle') throw new Error(`EtcdLeaseElector ${this.identity}: run() called twice; one term per run`);
    this.handlers = handlers;
    this.phase = 'campaigning';
    void this.attempt();
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

  private async attempt(): Promise<void> {
    if (this.phase !== 'campaigning') return;
    const { ns, logger } = this.options;
    const ttlMs = (this.options.ttlSeconds ?? 15) * 1000;
    const lease = ns.lease(ttlMs / 1000);
    lease.on('lost', (err) => { this.lost(lease, err); });
    let firedAt = Date.now();
    lease.on('keepaliveFired', () => { firedAt = Date.now(); });
    lease.on('keepaliveSucceeded', () => { this.renewedFrom = firedAt; });
    try {
      this.renewedFrom = Date.now();
      const id = await lease.grant();
      const res = await ns.if(LEADER_KEY, 'Create', '==', 0).then(ns.put(LEADER_KEY).value(this.identity).lease(id)).commit();
      if (res.succeeded && this.stillCampaigning()) {
        this.lease = lease;
        this.phase = 'leading';
        logger.info({ identity: this.identity }, 'holds the etcd leader key; leading');
        this.handlers?.onStartedLeading();
        this.fenceBy(lease, ttlMs);
        return;
      }
    } catch (err) {
      logger.warn({ err }, 'failed to campaign for the etcd leader key; retrying');
    }
    lease.release();
    await lease.revoke().catch(() => undefined);
    this.timer = setTimeout(() => { void this.attempt(); }, this.options.retryMs ?? 1_000);
  }

  /**
   * Stops leading once two thirds of the TTL have passed since the last renewal etcd confirmed was
   * sent: etcd keeps the lease (and the key) at least a TTL from then, so this process has stopped
   * before the key can go and another process can lead. etcd3's own 'lost' comes only after 2 TTLs.
   */
  private fenceBy(lease: Lease, ttlMs: number): void {
    this.fence = setInterval(() => {
      if (Date.now() - this.renewedFrom > (ttlMs * 2) / 3) this.lost(lease, new Error(`no lease renewal confirmed for ${String(Date.now() - this.renewedFrom)} ms of a ${String(ttlMs)} ms TTL`));
    }, Math.max(50, ttlMs / 12));
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
    clearInterval(this.fence);
    lease.release();
    this.handlers?.onStoppedLeading();
  }
}

/** The identity of the process holding the leader key, if one does. */
export async function currentLeader(ns: Namespace): Promise<string | undefined> {
  return (await ns.get(LEADER_KEY).string()) ?? undefined;
}
