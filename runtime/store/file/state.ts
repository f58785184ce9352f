import { EventIndex } from './event-index.js';
import { ObjectIndex, type Change } from './object-index.js';
import { CorruptLineError, type ScannedRecord } from './record-codec.js';
import type { StateRecord, TxnRecord } from './state-records.js';

/**
 * The objects and events a state file describes, at revision `rv`. Records are applied in file
 * order, and anything a writer could not have produced — no header first, a snapshot record after
 * a transaction, a revision that skips or repeats — is corruption, named by line.
 */
export class State {
  readonly objects = new ObjectIndex();
  readonly events: EventIndex;
  /** From the header; undefined in a file made before installation ids existed, or before a header was read. */
  installationId: string | undefined;
  private revision = -1;
  private sawTxn = false;

  constructor(eventsPerNamespace: number) {
    this.events = new EventIndex(eventsPerNamespace);
  }

  get rv(): number {
    return Math.max(this.revision, 0);
  }

  /** Whether a header was read: a file without one is no state file. */
  get hasHeader(): boolean {
    return this.revision >= 0;
  }

  /** Applies scanned records; returns the changes transactions made (snapshot records make none). */
  applyRecords(records: readonly ScannedRecord[]): Change[] {
    const changes: Change[] = [];
    for (const { record, line, offset } of records) {
      const problem = this.misplaced(record);
      if (problem !== undefined) throw new CorruptLineError(line, offset, problem);
      changes.push(...this.applyRecord(record));
    }
    return changes;
  }

  /** Applies a transaction this process just made durable. */
  applyTxn(txn: TxnRecord): Change[] {
    this.sawTxn = true;
    this.revision = txn.rv;
    const changes: Change[] = [];
    for (const op of txn.ops) {
      if (op.op === 'event') {
        this.events.upsert(op.event);
        continue;
      }
      const change = op.op === 'put' ? this.objects.put(op.object) : this.objects.remove(op.object);
      if (change !== undefined) changes.push(change);
    }
    return changes;
  }

  private applyRecord(record: StateRecord): Change[] {
    switch (record.t) {
      case 'header':
        this.revision = record.rv;
        this.installationId = record.installationId;
        return [];
      case 'object':
        this.objects.put(record.object);
        return [];
      case 'event':
        this.events.upsert(record.event);
        return [];
      case 'txn':
        return this.applyTxn(record);
      case 'batch':
        return record.txns.flatMap((txn) => this.applyTxn(txn));
    }
  }

  private misplaced(record: StateRecord): string | undefined {
    if (this.revision < 0) return record.t === 'header' ? undefined : 'the file does not start with a polyfleet state header';
    if (record.t === 'header') return 'a second header';
    if (record.t === 'txn') return this.outOfSequence(record.rv, this.revision);
    if (record.t === 'batch') return record.txns.map((txn, i) => this.outOfSequence(txn.rv, this.revision + i)).find((p) => p !== undefined);
    return this.sawTxn ? `a snapshot ${record.t} after the transactions` : undefined;
  }

  private outOfSequence(rv: number, previous: number): string | undefined {
    return rv === previous + 1 ? undefined : `revision ${rv} follows revision ${previous}`;
  }
}
