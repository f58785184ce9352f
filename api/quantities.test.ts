import { describe, expect, it } from '@jest/globals';
import { desiredMachineCount, microsToMoney, moneyToMicros } from './quantities.js';

describe('redundancy', () => {
  it.each([
    [6, '1:1', 6],
    [6, '2:1', 12],
    [6, '+1', 7],
    [0, '+2', 2],
    [3, '+0', 3],
  ])('%i replicas with %s want %i machines', (replicas, redundancy, want) => {
    expect(desiredMachineCount(replicas, redundancy)).toBe(want);
  });

  it('refuses what the schema refuses', () => {
    expect(() => desiredMachineCount(3, '3x')).toThrow('not a redundancy: "3x"');
  });
});

describe('money', () => {
  it('parses decimal strings exactly, without float rounding', () => {
    expect(moneyToMicros('0.10')).toBe(100_000);
    expect(moneyToMicros('5')).toBe(5_000_000);
    expect(moneyToMicros('0.000001')).toBe(1);
    expect(moneyToMicros('0.1') + moneyToMicros('0.2')).toBe(moneyToMicros('0.3'));
  });

  it('prints micros back as a decimal string with at least cents', () => {
    expect(microsToMoney(100_000)).toBe('0.10');
    expect(microsToMoney(5_000_000)).toBe('5.00');
    expect(microsToMoney(1_234_567)).toBe('1.234567');
  });

  it('names the bad amount', () => {
    expect(() => moneyToMicros('5 USD')).toThrow('not a money amount: "5 USD"');
  });
});
