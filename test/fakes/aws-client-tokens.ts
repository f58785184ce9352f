/**
 * EC2's RunInstances ClientToken semantics, which moto 5.2.1 lacks (it stores the token but launches
 * again): within one account and region, a second call with the same token and the same parameters
 * answers with the first call's reservation instead of launching; the same token with other
 * parameters fails with IdempotentParameterMismatch
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
 */

/** A buffered upstream answer, replayed to every later call with the token. */
export interface BufferedReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

interface TokenEntry {
  readonly fingerprint: string;
  readonly reply: Promise<BufferedReply>;
}

/** The parameters that define a launch: everything but the token itself and the request's own envelope. */
function fingerprint(params: URLSearchParams): string {
  const kept = [...params.entries()].filter(([k]) => k !== 'ClientToken' && k !== 'Version' && k !== 'Action');
  return JSON.stringify(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The account (access key id) and region a SigV4 Authorization header names, the scope of a token. */
function scopeOf(authorization: string | undefined): string {
  const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(authorization ?? '');
  return credential ? `${credential[1] ?? ''}/${credential[2] ?? ''}` : '';
}

export type TokenDecision =
  | { readonly kind: 'launch'; settle(reply: Promise<BufferedReply>): void }
  | { readonly kind: 'replay'; readonly reply: Promise<BufferedReply> }
  | { readonly kind: 'mismatch' };

export class ClientTokens {
  private readonly entries = new Map<string, TokenEntry>();

  /** What to do with a RunInstances request: launch (and record), replay the first answer, or refuse. */
  decide(params: URLSearchParams, authorization: string | undefined): TokenDecision {
    const token = params.get('ClientToken');
    if (params.get('Action') !== 'RunInstances' || token === null || token === '') {
      return { kind: 'launch', settle: () => undefined };
    }
    const key = `${scopeOf(authorization)}/${token}`;
    const print = fingerprint(params);
    const known = this.entries.get(key);
    if (known !== undefined) return known.fingerprint === print ? { kind: 'replay', reply: known.reply } : { kind: 'mismatch' };
    return {
      kind: 'launch',
      settle: (reply) => {
        this.entries.set(key, { fingerprint: print, reply });
        // A launch that EC2 refused did not use the token: a retry may launch.
        void reply.then(
          (r) => {
            if (r.status >= 400) this.entries.delete(key);
          },
          () => this.entries.delete(key),
        );
      },
    };
  }

  /** Forgets every token, as a fresh account would have none. */
  clear(): void {
    this.entries.clear();
  }
}
