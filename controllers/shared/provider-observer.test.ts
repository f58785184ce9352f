import { describe, expect, it } from '@jest/globals';
import type { ProviderRequest, RateLimitWait } from '../../providers/index.js';
import { capturingLogger } from '../../runtime/testing/log-capture.js';
import { providerObserver } from './provider-observer.js';

describe('providerObserver', () => {
  it('passes requests and waits to the metrics and logs only a long wait, at debug', () => {
    const { log, lines } = capturingLogger();
    const requests: ProviderRequest[] = [];
    const waits: RateLimitWait[] = [];
    const observer = providerObserver(log, { request: (r) => requests.push(r), rateLimitWait: (w) => waits.push(w) });
    observer.request({ provider: 'aws', account: 'aws-east', op: 'get', code: 'ok', seconds: 0.1 });
    observer.rateLimitWait?.({ provider: 'aws', account: 'aws-east', kind: 'read', seconds: 0.2 });
    observer.rateLimitWait?.({ provider: 'aws', account: 'aws-east', kind: 'read', seconds: 12.5 });
    expect(requests).toHaveLength(1);
    expect(waits.map((w) => w.seconds)).toEqual([0.2, 12.5]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        provider: 'aws',
        account: 'aws-east',
        kind: 'read',
        waitedSeconds: 12.5,
        msg: 'a provider read waited 12.5s for a token of account "aws-east"\'s rate limit',
      }),
    ]);
  });

  it('logs without metrics', () => {
    const { log, lines } = capturingLogger();
    providerObserver(log).rateLimitWait?.({ provider: 'digitalocean', account: 'do', kind: 'write', seconds: 3 });
    expect(lines).toHaveLength(1);
  });

  it('warns why prices could not be read, so a stale Strategy can be explained', () => {
    const { log, lines } = capturingLogger();
    providerObserver(log).priceReadFailed?.({ provider: 'aws', account: 'aws-east', region: 'us-east-1', reason: 'AccessDeniedException: not authorized to perform pricing:GetProducts' });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        account: 'aws-east',
        region: 'us-east-1',
        reason: 'AccessDeniedException: not authorized to perform pricing:GetProducts',
        msg: 'could not read prices of us-east-1 from account "aws-east"\'s pricing API; cached or shipped-table prices serve meanwhile',
      }),
    ]);
  });
});
