import { describe, expect, it } from '@jest/globals';
import type { Machine } from '../../../api/index.js';
import { testMachine, testNodePool } from '../../testing/objects.js';
import { decodeWritten, lenientDecoder } from './decode.js';
import { jsonEqual, UnknownFields, withUnknownFields } from './unknown-fields.js';

const pool = { ...testNodePool('ns', 'workers', 'cheap'), metadata: { name: 'workers', namespace: 'ns', uid: 'pool-uid' } };
const condition = (type: string, message: string) => ({ type, status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'Fine', message });

/** A Machine as a newer polyfleet's CRD lets the API server store it: fields this version does not know. */
function newerMachine(): Record<string, unknown> {
  const m = testMachine(pool, 'workers-abcde');
  return {
    ...m,
    metadata: { ...m.metadata, uid: 'm-uid', resourceVersion: '10', managedFields: [{ manager: 'polyfleet' }] },
    spec: { ...m.spec, futureSpec: 'kept' },
    status: {
      phase: 'Running',
      instanceId: 'i-1',
      lastRequestId: 'req-7',
      future: { nested: true },
      conditions: [
        { ...condition('Launched', 'created'), detail: 'about Launched' },
        { ...condition('Ready', 'running'), detail: 'about Ready' },
      ],
    },
  };
}

function decode(raw: unknown, unknown = new UnknownFields()): { machine: Machine; unknown: UnknownFields } {
  const decoded = lenientDecoder('Machine', unknown)(raw);
  if (decoded.kind !== 'readable') throw new Error(`not readable: ${JSON.stringify(decoded)}`);
  return { machine: decoded.object, unknown };
}

describe('lenientDecoder', () => {
  it('reads an object with fields this version does not know, without them and without managedFields', () => {
    const { machine } = decode(newerMachine());
    expect(machine.spec).not.toHaveProperty('futureSpec');
    expect(machine.status).toEqual({ phase: 'Running', instanceId: 'i-1', conditions: [condition('Launched', 'created'), condition('Ready', 'running')] });
    expect(machine.metadata).not.toHaveProperty('managedFields');
  });

  it('calls an object with a field of the wrong type unreadable, naming the field but not the value', () => {
    const raw = newerMachine();
    (raw.status as Record<string, unknown>).instanceId = 424242;
    const decoded = lenientDecoder('Machine', new UnknownFields())(raw);
    expect(decoded).toEqual({
      kind: 'unreadable',
      identity: { namespace: 'ns', name: 'workers-abcde', uid: 'm-uid', resourceVersion: '10' },
      object: { namespace: 'ns', name: 'workers-abcde', uid: 'm-uid', problem: expect.stringContaining('status.instanceId') },
    });
    expect(JSON.stringify(decoded)).not.toContain('424242');
    expect(JSON.stringify(decoded)).not.toContain('unknown field');
  });

  it('refuses, for a write answer, only what the schema refuses for more than unknown fields', () => {
    expect(decodeWritten('Machine', newerMachine(), new UnknownFields()).spec.slot).toBe(0);
    const raw = newerMachine();
    (raw.spec as Record<string, unknown>).slot = 'first';
    expect(() => decodeWritten('Machine', raw, new UnknownFields())).toThrow(/ns\/workers-abcde was written, but .*spec\.slot/);
  });
});

describe('UnknownFields.carryThrough', () => {
  it('puts the unknown fields back into a write built from the cached copy at the same version', () => {
    const { machine, unknown } = decode(newerMachine());
    const edited = structuredClone(machine);
    edited.status = { ...edited.status, phase: 'Failed', failureReason: 'InstanceGone' };
    const body = unknown.carryThrough(edited, machine) as unknown as Record<string, Record<string, unknown>>;
    expect(body.spec?.futureSpec).toBe('kept');
    expect(body.status).toMatchObject({ phase: 'Failed', failureReason: 'InstanceGone', lastRequestId: 'req-7', future: { nested: true } });
    expect(body.metadata).not.toHaveProperty('managedFields');
    expect(edited.status).not.toHaveProperty('lastRequestId'); // the caller's object is not touched
  });

  it('keeps an unknown field of a list element that is unchanged wherever it moved, and drops it from one this version rewrote', () => {
    const { machine, unknown } = decode(newerMachine());
    // What a controller edits is a copy (from another realm under jest: equal by content, not by prototype).
    const [launched, ready] = structuredClone(machine.status?.conditions ?? []);
    const edited = { ...machine, status: { ...machine.status, conditions: [ready, { ...launched, message: 'created again' }] } } as Machine;
    const body = unknown.carryThrough(edited, machine) as { status: { conditions: Record<string, unknown>[] } };
    expect(body.status.conditions).toEqual([
      { ...condition('Ready', 'running'), detail: 'about Ready' },
      condition('Launched', 'created again'),
    ]);
  });

  it('leaves out what the write removed, and what it set itself', () => {
    const { machine, unknown } = decode(newerMachine());
    const { status: _dropped, ...withoutStatus } = machine;
    expect(unknown.carryThrough(withoutStatus, machine)).not.toHaveProperty('status');
    const raw = newerMachine();
    const known = decode(raw).machine;
    const outgoing = { ...known, status: { ...known.status, lastRequestId: 'mine' } };
    expect((withUnknownFields(outgoing, known, raw) as { status: { lastRequestId: string } }).status.lastRequestId).toBe('mine');
  });

  it('sends a write at another version, or of an object without unknown fields, as built', () => {
    const { machine, unknown } = decode(newerMachine());
    const stale = { ...machine, metadata: { ...machine.metadata, resourceVersion: '9' } };
    expect(unknown.carryThrough(stale, machine)).toBe(stale);
    const recreated = { ...machine, metadata: { ...machine.metadata, uid: 'other-uid' } };
    expect(unknown.carryThrough(recreated, machine)).toBe(recreated);
    expect(unknown.carryThrough(machine, undefined)).toBe(machine);
    const plain = decode({ ...testMachine(pool, 'plain'), metadata: { name: 'plain', namespace: 'ns', resourceVersion: '3' } });
    expect(plain.unknown.carryThrough(plain.machine, plain.machine)).toBe(plain.machine);
  });
});

describe('jsonEqual', () => {
  it.each([
    { a: { x: [1, { y: 'z' }] }, b: { x: [1, { y: 'z' }] }, equal: true },
    { a: { x: 1, y: 2 }, b: { y: 2, x: 1 }, equal: true },
    { a: { x: 1 }, b: { x: 1, y: undefined }, equal: false },
    { a: [1, 2], b: { 0: 1, 1: 2 }, equal: false },
    { a: null, b: {}, equal: false },
    { a: 'a', b: 'a', equal: true },
  ])('$a vs $b', ({ a, b, equal }) => {
    expect(jsonEqual(a, b)).toBe(equal);
    expect(jsonEqual(structuredClone(a), b)).toBe(equal);
  });
});
