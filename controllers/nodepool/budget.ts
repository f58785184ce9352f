// maxHourlyTotal as a running sum in micro-dollars: what the pool's Machines cost, then each new one in slot order.

import { ANNOTATION_HOURLY_PRICE, MONEY_PATTERN, microsToMoney, moneyToMicros } from '../../api/index.js';
import type { PoolMachine } from './pool-machines.js';

/** What a Machine counts against the budget: its reported price, else the price it was chosen at, else 0. */
export function machinePriceMicros(machine: PoolMachine): number {
  const reported = machine.status?.hourlyPrice;
  if (reported !== undefined) return moneyToMicros(reported);
  const expected = machine.metadata.annotations?.[ANNOTATION_HOURLY_PRICE];
  return expected !== undefined && MONEY_PATTERN.test(expected) ? moneyToMicros(expected) : 0;
}

export interface BudgetBlock {
  readonly slot: number;
  readonly message: string;
}

/**
 * Per pool: "all nodes of a pool using this Strategy" (the Strategy's own words), so two pools on
 * one Strategy each get the whole cap. Absent cap: everything fits.
 */
export class BudgetTally {
  private spentMicros: number;

  constructor(private readonly capMicros: number | undefined, committedMicros: number) {
    this.spentMicros = committedMicros;
  }

  /** Adds `priceMicros` if it fits under the cap; otherwise says why not and adds nothing. */
  charge(slot: number, priceMicros: number): BudgetBlock | undefined {
    const next = this.spentMicros + priceMicros;
    if (this.capMicros !== undefined && next > this.capMicros) {
      const message =
        `maxHourlyTotal $${microsToMoney(this.capMicros)}: the pool's Machines cost $${microsToMoney(this.spentMicros)}/h ` +
        `and slot ${slot} at $${microsToMoney(priceMicros)}/h would make $${microsToMoney(next)}/h`;
      return { slot, message };
    }
    this.spentMicros = next;
    return undefined;
  }

  get totalMicros(): number {
    return this.spentMicros;
  }
}
