import { providerError } from '../errors.js';
import type { ProviderError, ProviderErrorKind } from '../errors.js';
import type { ProviderOp } from '../types.js';
import type { FaultRule } from './faults.js';

/** What a call is about, for matching rules' filters and wording errors. */
export interface FaultContext {
  readonly op: ProviderOp;
  readonly region?: string;
  readonly zone?: string;
  readonly instanceType?: string;
  readonly capacityType?: string;
}

const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Decides which calls of one account fail: one-shot errors queued by `failNext` first, then rules
 * set in code, then the sim dir's rules. Draws come from a seeded random source, one per rule with
 * a rate strictly between 0 and 1, so the same seed and calls fail the same way every run.
 */
export class FaultInjector {
  private readonly queued = new Map<ProviderOp, ProviderError[]>();
  private rules: FaultRule[] = [];

  constructor(private readonly account: string, private readonly random: () => number) {}

  /** The next call of `op` fails with `error` (or an error of that kind), whatever the rules say. */
  failNext(op: ProviderOp, error: ProviderError | ProviderErrorKind): void {
    const e = typeof error === 'string' ? providerError(error, describe(error, { op }, 'failNext'), this.account, retryAfter(error)) : error;
    this.queued.set(op, [...(this.queued.get(op) ?? []), e]);
  }

  /** Adds a rule beside faults.json's, for this provider only. */
  addRule(rule: FaultRule): void {
    this.rules = [...this.rules, rule];
  }

  /** Forgets queued errors and rules set in code (faults.json is the file's business). */
  reset(): void {
    this.queued.clear();
    this.rules = [];
  }

  /** The error this call fails with, if any. */
  errorFor(ctx: FaultContext, fileRules: readonly FaultRule[]): ProviderError | undefined {
    const [next, ...rest] = this.queued.get(ctx.op) ?? [];
    if (next) {
      this.queued.set(ctx.op, rest);
      return next;
    }
    for (const [rule, source] of this.matching(ctx, fileRules)) {
      if (rule.kind === 'die' || rule.kind === 'invisible' || !this.hits(rule.rate)) continue;
      return providerError(rule.kind, describe(rule.kind, ctx, source), this.account, retryAfter(rule.kind, rule.retryAfterMs));
    }
    return undefined;
  }

  /** How long after becoming running a created instance dies, if a `die` rule picks it. */
  deathDelayMs(ctx: FaultContext, fileRules: readonly FaultRule[]): number | undefined {
    for (const [rule] of this.matching(ctx, fileRules)) {
      if (rule.kind === 'die' && this.hits(rule.rate)) return rule.afterMs ?? 0;
    }
    return undefined;
  }

  /** How long after its create a created instance stays invisible, if an `invisible` rule picks it. */
  invisibleForMs(ctx: FaultContext, fileRules: readonly FaultRule[]): number | undefined {
    for (const [rule] of this.matching(ctx, fileRules)) {
      if (rule.kind === 'invisible' && this.hits(rule.rate)) return rule.forMs ?? 0;
    }
    return undefined;
  }

  private *matching(ctx: FaultContext, fileRules: readonly FaultRule[]): Generator<[FaultRule, string]> {
    const sources: [readonly FaultRule[], string][] = [
      [this.rules, 'a rule set in code'],
      [fileRules, 'faults.json'],
    ];
    for (const [rules, source] of sources) {
      for (const rule of rules) {
        if (
          rule.op === ctx.op &&
          (rule.account === undefined || rule.account === this.account) &&
          (rule.region === undefined || rule.region === ctx.region) &&
          (rule.zone === undefined || rule.zone === ctx.zone) &&
          (rule.instanceType === undefined || rule.instanceType === ctx.instanceType) &&
          (rule.capacityType === undefined || rule.capacityType === ctx.capacityType)
        ) {
          yield [rule, source];
        }
      }
    }
  }

  private hits(rate: number): boolean {
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    return this.random() < rate;
  }
}

function retryAfter(kind: ProviderErrorKind, ms?: number): { retryAfterMs: number } | undefined {
  return kind === 'throttled' ? { retryAfterMs: ms ?? DEFAULT_RETRY_AFTER_MS } : undefined;
}

/** Words like a cloud's, plus where the fault came from, so nobody debugs an injected failure as a real one. */
function describe(kind: ProviderErrorKind, ctx: FaultContext, source: string): string {
  const where = ctx.zone ?? ctx.region ?? 'the region';
  const what = (() => {
    switch (kind) {
      case 'capacity':
        return `no capacity for ${ctx.instanceType ?? 'the instance type'} in ${where}`;
      case 'quota':
        return `instance quota reached in ${ctx.region ?? 'the region'}`;
      case 'throttled':
        return `${ctx.op} was rate-limited`;
      case 'auth':
        return `${ctx.op} was refused: the API key is not valid`;
      case 'invalidRequest':
        return `${ctx.op} request was rejected as invalid`;
      case 'transient':
        return `${ctx.op} failed with HTTP 503`;
    }
  })();
  return `${what} (sim fault injected by ${source})`;
}
