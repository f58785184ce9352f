import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { FakeClock } from '../../testing/fake-clock.js';
import type { ListPage, ListWatchClient, WatchCallbacks } from './custom-resource-client.js';
import { Backoff } from './backoff.js';
import type { Decoded } from './decode.js';
import { Informer } from './informer.js';
import type { CacheChange, CachedObject } from './object-cache.js';

interface Obj extends CachedObject {
  readonly metadata: { name: string; namespace: string; uid: string; resourceVersion: string };
  readonly spec: { n: number };
}

const obj = (name: string, rv: number, n = 0): Obj => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: String(rv) }, spec: { n } });

/** An API server the test scripts: what each list returns, and the watch streams it opened. */
class FakeApi implements ListWatchClient {
  listed: { items: Obj[]; resourceVersion: string } = { items: [], resourceVersion: '1' };
  listFailures = 0;
  readonly watches: { resourceVersion: string; callbacks: WatchCallbacks; aborted: boolean }[] = [];

  listPage(): Promise<ListPage> {
    if (this.listFailures > 0) {
      this.listFailures--;
      return Promise.reject(new Error('connect ECONNREFUSED'));
    }
    return Promise.resolve({ items: structuredClone(this.listed.items), resourceVersion: this.listed.resourceVersion, continueToken: undefined });
  }

  watch(options: { resourceVersion: string }, callbacks: WatchCallbacks): Promise<{ abort(): void }> {
    const watch = { resourceVersion: options.resourceVersion, callbacks, aborted: false };
    this.watches.push(watch);
    return Promise.resolve({ abort: () => (watch.aborted = true) });
  }

  get current(): { resourceVersion: string; callbacks: WatchCallbacks; aborted: boolean } {
    const watch = this.watches.at(-1);
    if (!watch) throw new Error('no watch open');
    return watch;
  }
}

/** Lets the informer's promise chains run; bounded by turns, never by time. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 200; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** spec.n < 0 stands for a field this version cannot read; spec.n === 666 for a decoder bug. */
function decode(raw: unknown): Decoded<Obj> {
  const o = raw as Obj;
  if (o.spec.n === 666) throw new Error('decoder bug');
  if (o.spec.n >= 0) return { kind: 'readable', object: o };
  const { namespace, name, uid, resourceVersion } = o.metadata;
  return { kind: 'unreadable', identity: { namespace, name, uid, resourceVersion }, object: { namespace, name, uid, problem: 'spec.n: too small' } };
}

function setup(options: { resyncPeriodMs?: number } = {}) {
  const api = new FakeApi();
  const clock = new FakeClock();
  const informer = new Informer<Obj>({
    kind: 'Obj',
    client: api,
    decode,
    logger: pino({ level: 'silent' }),
    timers: clock,
    resyncPeriodMs: options.resyncPeriodMs ?? 0,
    watchTimeoutSeconds: () => 25,
    backoff: new Backoff({ initialMs: 1_000, maxMs: 8_000, random: () => 0 }),
  });
  const seen: string[] = [];
  const record = (c: CacheChange<Obj>): void => {
    seen.push(`${c.type} ${c.object.metadata.name}@${c.object.metadata.resourceVersion}`);
  };
  return { api, clock, informer, seen, record };
}

describe('Informer', () => {
  it('lists, then hands a subscriber ADDED for everything and every change after', async () => {
    const { api, informer, seen, record } = setup();
    api.listed = { items: [obj('a', 5)], resourceVersion: '7' };
    informer.start();
    const subscription = informer.subscribe(record, 'ns');
    await subscription.synced;
    await until(() => api.watches.length === 1, 'a watch');
    expect(api.current.resourceVersion).toBe('7');
    api.current.callbacks.onEvent('ADDED', obj('b', 8));
    api.current.callbacks.onEvent('MODIFIED', obj('a', 9, 1));
    api.current.callbacks.onEvent('DELETED', obj('b', 10));
    expect(seen).toEqual(['ADDED a@5', 'ADDED b@8', 'MODIFIED a@9', 'DELETED b@10']);
    subscription.stop();
    api.current.callbacks.onEvent('ADDED', obj('c', 11));
    expect(seen).toHaveLength(4);
    informer.stop();
  });

  it('resumes a watch the server ended from the last version seen, bookmarks included', async () => {
    const { api, informer } = setup();
    informer.start();
    await until(() => api.watches.length === 1, 'a watch');
    api.current.callbacks.onEvent('ADDED', obj('a', 3));
    api.current.callbacks.onEvent('BOOKMARK', { metadata: { resourceVersion: '12' } });
    api.current.callbacks.onClose(undefined);
    await until(() => api.watches.length === 2, 'a second watch');
    expect(api.current.resourceVersion).toBe('12');
    informer.stop();
    expect(api.current.aborted).toBe(true);
  });

  it('re-lists when the version is gone, synthesizing DELETED for what vanished meanwhile', async () => {
    const { api, informer, seen, record } = setup();
    api.listed = { items: [obj('stays', 2), obj('goes', 3)], resourceVersion: '3' };
    informer.start();
    await informer.subscribe(record, undefined).synced;
    await until(() => api.watches.length === 1, 'a watch');
    api.listed = { items: [obj('stays', 20, 1), obj('new', 21)], resourceVersion: '22' };
    api.current.callbacks.onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    await until(() => api.watches.length === 2, 'a watch after the re-list');
    expect(api.current.resourceVersion).toBe('22');
    expect(seen.slice(2).sort()).toEqual(['ADDED new@21', 'DELETED goes@3', 'MODIFIED stays@20']);
    informer.stop();
  });

  it('backs off after failures and reconnects, without sleeping', async () => {
    const { api, clock, informer } = setup();
    api.listFailures = 2;
    informer.start();
    await until(() => clock.pendingTimers() === 1, 'a backoff timer');
    expect(clock.nextTimerInMs()).toBe(1_000);
    clock.advance(1_000);
    await until(() => clock.pendingTimers() === 1, 'a second backoff timer');
    expect(clock.nextTimerInMs()).toBe(2_000);
    clock.advance(2_000);
    await informer.whenSynced();
    await until(() => api.watches.length === 1, 'a watch');
    api.current.callbacks.onClose(new Error('socket hang up'));
    await until(() => clock.pendingTimers() === 1, 'a watch backoff timer');
    expect(clock.nextTimerInMs()).toBe(1_000);
    clock.advance(1_000);
    await until(() => api.watches.length === 2, 'a watch after the backoff');
    informer.stop();
  });

  it('keeps what it cannot read out of the cache, tracked as unreadable until it is fixed or deleted, and keeps going', async () => {
    const { api, informer, seen, record } = setup();
    api.listed = { items: [obj('bad', 2, -1), obj('good', 3)], resourceVersion: '3' };
    informer.start();
    await informer.subscribe(record, undefined).synced;
    expect(informer.cache.list().map((o) => o.metadata.name)).toEqual(['good']);
    const names = (): string[] => informer.unreadable(undefined).map((u) => `${u.name}: ${u.problem}`);
    expect(names()).toEqual(['bad: spec.n: too small']);
    expect(informer.unreadable('other')).toEqual([]);
    await until(() => api.watches.length === 1, 'a watch');
    api.current.callbacks.onEvent('ADDED', obj('worse', 4, -1));
    expect(names()).toEqual(['bad: spec.n: too small', 'worse: spec.n: too small']);
    api.current.callbacks.onEvent('MODIFIED', obj('bad', 5, 1));
    api.current.callbacks.onEvent('DELETED', obj('worse', 6, -1));
    expect(names()).toEqual([]);
    // A readable object that turns unreadable leaves the cache (handlers see it go) and is tracked.
    api.current.callbacks.onEvent('MODIFIED', obj('good', 7, -1));
    expect(names()).toEqual(['good: spec.n: too small']);
    expect(informer.cache.get('ns', 'good')).toBeUndefined();
    expect(seen).toEqual(['ADDED good@3', 'ADDED bad@5', 'DELETED good@3']);
    api.current.callbacks.onClose(undefined);
    await until(() => api.watches.length === 2, 'a second watch');
    expect(api.current.resourceVersion).toBe('7');
    // A re-list rebuilds the set: what the list no longer has is no longer unreadable.
    api.listed = { items: [obj('bad', 5, 1)], resourceVersion: '9' };
    api.current.callbacks.onEvent('ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    await until(() => api.watches.length === 3, 'a watch after the re-list');
    expect(names()).toEqual([]);
    informer.stop();
  });

  it('restarts a crashed loop after a back-off with a fresh list, and is not healthy until that list is in', async () => {
    const { api, clock, informer, seen, record } = setup();
    expect(informer.health()).toEqual({ ok: false, detail: 'the Obj informer has not listed yet' });
    api.listed = { items: [obj('a', 2)], resourceVersion: '2' };
    informer.start();
    await informer.subscribe(record, undefined).synced;
    await until(() => api.watches.length === 1, 'a watch');
    expect(informer.health()).toEqual({ ok: true });
    const crashed = api.current;
    api.listed = { items: [obj('a', 2), obj('b', 4)], resourceVersion: '5' };
    crashed.callbacks.onEvent('ADDED', obj('boom', 3, 666));
    await until(() => clock.pendingTimers() === 1, 'a restart back-off');
    expect(crashed.aborted).toBe(true);
    expect(informer.health()).toEqual({ ok: false, detail: 'the Obj informer crashed (decoder bug) and has not re-listed yet' });
    expect(clock.nextTimerInMs()).toBe(1_000);
    crashed.callbacks.onEvent('ADDED', obj('late', 3)); // the old stream is done with
    clock.advance(1_000);
    await until(() => api.watches.length === 2, 'a watch after the re-list');
    expect(api.current.resourceVersion).toBe('5');
    expect(informer.health()).toEqual({ ok: true });
    expect(seen).toEqual(['ADDED a@2', 'ADDED b@4']);
    informer.stop();
    expect(informer.health()).toEqual({ ok: false, detail: 'the Obj informer is stopped' });
  });

  it('resyncs: hands every cached object to subscribers again as MODIFIED', async () => {
    const { api, clock, informer, seen, record } = setup({ resyncPeriodMs: 60_000 });
    api.listed = { items: [obj('a', 2)], resourceVersion: '2' };
    informer.start();
    await informer.subscribe(record, undefined).synced;
    clock.advance(60_000);
    clock.advance(60_000);
    expect(seen).toEqual(['ADDED a@2', 'MODIFIED a@2', 'MODIFIED a@2']);
    informer.stop();
  });

  it('hands out copies and survives a throwing handler', async () => {
    const { api, informer } = setup();
    api.listed = { items: [obj('a', 2)], resourceVersion: '2' };
    informer.start();
    informer.subscribe(() => {
      throw new Error('handler bug');
    }, undefined);
    const subscription = informer.subscribe((c) => (c.object.spec.n = 99), undefined);
    await subscription.synced;
    expect(informer.cache.get('ns', 'a')?.spec.n).toBe(0);
    informer.stop();
  });

  it('rejects readers waiting for a sync that a stop ends', async () => {
    const { api, informer } = setup();
    api.listFailures = 1;
    informer.start();
    const waiting = informer.whenSynced();
    informer.stop();
    await expect(waiting).rejects.toThrow('stopped');
  });
});
