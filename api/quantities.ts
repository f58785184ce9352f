import { z } from 'zod';

/** Decimal money amounts travel as strings so no float ever rounds a budget. */
export const MONEY_PATTERN = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,6})?$/;

export function money(description: string) {
  return z
    .string()
    .max(16)
    .regex(MONEY_PATTERN, { message: 'must be a decimal amount such as "0.10" or "5"' })
    .describe(`${description} A decimal string in US dollars, e.g. "0.10".`);
}

/** Money as integer micro-dollars, the unit every budget comparison uses. */
export function moneyToMicros(amount: string): number {
  const match = MONEY_PATTERN.exec(amount);
  if (!match) throw new RangeError(`not a money amount: ${JSON.stringify(amount)}`);
  const whole = Number(match[1]);
  const fraction = (match[2] ?? '.').slice(1).padEnd(6, '0');
  return whole * 1_000_000 + Number(fraction);
}

export function microsToMoney(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = String(Math.round(micros - whole * 1_000_000)).padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole}.00` : `${whole}.${fraction.padEnd(2, '0')}`;
}

/** "N:1" multiplies the replicas by N, "+N" adds N spares. */
export const REDUNDANCY_PATTERN = /^([1-9][0-9]?:1|\+[0-9]{1,4})$/;

export function desiredMachineCount(replicas: number, redundancy: string): number {
  if (!REDUNDANCY_PATTERN.test(redundancy)) throw new RangeError(`not a redundancy: ${JSON.stringify(redundancy)}`);
  if (redundancy.startsWith('+')) return replicas + Number(redundancy.slice(1));
  return replicas * Number(redundancy.split(':')[0]);
}
