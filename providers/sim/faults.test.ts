import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultRulesFile, parseFaultRules, upsertRule, writeFaultRules } from './faults.js';

const parse = (rules: unknown[]) => parseFaultRules('faults.json', JSON.stringify({ rules }));

describe('faults.json', () => {
  it('reads rules with their filters and options', () => {
    expect(
      parse([
        { op: 'create', kind: 'capacity', rate: 0.3, zone: 'na-east-a' },
        { op: 'create', kind: 'die', rate: 1, afterMs: 10 },
        { op: 'create', kind: 'invisible', rate: 0.5, forMs: 4000, region: 'na-east' },
      ]),
    ).toEqual([
      { op: 'create', kind: 'capacity', rate: 0.3, zone: 'na-east-a' },
      { op: 'create', kind: 'die', rate: 1, afterMs: 10 },
      { op: 'create', kind: 'invisible', rate: 0.5, forMs: 4000, region: 'na-east' },
    ]);
  });

  it.each([
    [[{ op: 'launch', kind: 'capacity', rate: 1 }], 'faults.json: rules[0].op: must be one of regions, offerings, image, create, get, describe, list, delete, got "launch"'],
    [[{ op: 'list', kind: 'die', rate: 1 }], 'faults.json: rules[0].op: must be create for kind die'],
    [[{ op: 'get', kind: 'transient', rate: 1, afterMs: 5 }], 'faults.json: rules[0].afterMs: is for kind die only'],
    [[{ op: 'get', kind: 'invisible', rate: 1, forMs: 5 }], 'faults.json: rules[0].op: must be create for kind invisible'],
    [[{ op: 'create', kind: 'die', rate: 1, forMs: 5 }], 'faults.json: rules[0].forMs: is for kind invisible only'],
    [[{ op: 'create', kind: 'invisible', rate: 1 }], 'faults.json: rules[0].forMs: must be a number from 0'],
    [[{ op: 'get', kind: 'transient' }], 'faults.json: rules[0].rate: must be a number from 0 to 1, got nothing'],
    [[{ op: 'get', kind: 'transient', rate: 1, zone: '' }], 'faults.json: rules[0].zone: must be a non-empty string, got ""'],
  ])('names the field of a bad rule: %j', (rules, message) => {
    expect(() => parse(rules)).toThrow(message);
  });

  it('says a file is not JSON', () => {
    expect(() => parseFaultRules('/x/faults.json', '{rules:')).toThrow(/^\/x\/faults\.json: not valid JSON/);
  });

  it('replaces the rule with the same op, kind and filters only', () => {
    const rules = [
      { op: 'create', kind: 'capacity', rate: 0.1 },
      { op: 'create', kind: 'capacity', rate: 0.1, zone: 'z1' },
    ] as const;
    expect(upsertRule(rules, { op: 'create', kind: 'capacity', rate: 0.9 })).toEqual([
      { op: 'create', kind: 'capacity', rate: 0.1, zone: 'z1' },
      { op: 'create', kind: 'capacity', rate: 0.9 },
    ]);
  });

  it('a FaultRulesFile sees every rewrite of faults.json from the next call, and its removal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'polyfleet-faults-'));
    try {
      const file = new FaultRulesFile(dir);
      expect(await file.rules()).toEqual([]);
      await writeFaultRules(dir, [{ op: 'create', kind: 'capacity', rate: 1 }]);
      expect(await file.rules()).toEqual([{ op: 'create', kind: 'capacity', rate: 1 }]);
      await writeFaultRules(dir, [{ op: 'create', kind: 'capacity', rate: 0.5 }]);
      expect(await file.rules()).toEqual([{ op: 'create', kind: 'capacity', rate: 0.5 }]);
      await rm(join(dir, 'faults.json'));
      expect(await file.rules()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
