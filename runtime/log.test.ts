import { describe, expect, it } from '@jest/globals';
import { capturingLogger } from './testing/log-capture.js';

describe('createLogger', () => {
  it('writes structured lines with a level, a time and child bindings', () => {
    const { log, lines } = capturingLogger();
    log.child({ controller: 'nodepool' }).info({ pool: 'workers' }, 'scaled pool');
    expect(lines[0]).toMatchObject({ level: 30, controller: 'nodepool', pool: 'workers', msg: 'scaled pool' });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('redacts secret-looking fields at the top level and nested', () => {
    const { log, lines } = capturingLogger();
    log.info(
      {
        token: 'top-secret',
        provider: { name: 'aws-east', secretAccessKey: 'AKIA-secret', apiKey: 'k' },
        req: { headers: { authorization: 'Bearer abc' } },
      },
      'called provider',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['top-secret', 'AKIA-secret', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ token: '[redacted]', provider: { name: 'aws-east', apiKey: '[redacted]' } });
  });

  it('serializes errors under err with their message and stack', () => {
    const { log, lines } = capturingLogger();
    log.warn({ err: new Error('boom') }, 'reconcile failed');
    expect(lines[0]).toMatchObject({ err: { type: 'Error', message: 'boom' } });
  });
});
