import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../errors.js';
import { TAG_ATTEMPT, TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from '../types.js';
import type { CreateRequest } from '../types.js';
import { escapeTagPart, machineTag, MAX_TAG_LENGTH, poolTag, tagsForRequest, tagsFromNames, unescapeTagPart } from './tags.js';

const DO_TAG = /^[A-Za-z0-9_:-]{1,255}$/;

const request = (over: Partial<CreateRequest> = {}): CreateRequest => ({
  machineUid: '6f1c2d3e-0000-4a5b-9c8d-112233445566',
  attempt: 3,
  managedBy: 'polyfleet/controller@eu',
  pool: 'workers',
  namespace: 'team-a',
  region: 'nyc3',
  zone: 'nyc3',
  instanceType: 's-1vcpu-1gb',
  image: 'ubuntu-24-04-x64',
  ...over,
});

describe('DigitalOcean tag names', () => {
  it('maps our tags to names DigitalOcean accepts, and back, with the request tags after ours', () => {
    const names = tagsForRequest(request({ tags: { 'example.com/team': 'a b:c', env: 'prod', bare: '' } }), 'do');
    expect(names.every((n) => DO_TAG.test(n))).toBe(true);
    expect(names.slice(0, 3)).toEqual(['polyfleet:managed-by:polyfleet_2fcontroller_40eu', 'polyfleet:pool:team-a:workers', 'polyfleet:machine:6f1c2d3e-0000-4a5b-9c8d-112233445566:3']);
    expect(tagsFromNames(names)).toEqual({
      [TAG_MANAGED_BY]: 'polyfleet/controller@eu',
      [TAG_NAMESPACE]: 'team-a',
      [TAG_POOL]: 'workers',
      [TAG_MACHINE]: '6f1c2d3e-0000-4a5b-9c8d-112233445566',
      [TAG_ATTEMPT]: '3',
      'example.com/team': 'a b:c',
      env: 'prod',
      bare: '',
    });
  });

  it('lets our own tag keys win over the same keys in the request', () => {
    const tags = tagsFromNames(tagsForRequest(request({ tags: { [TAG_POOL]: 'spoofed', [TAG_MACHINE]: 'other' } }), 'do'));
    expect(tags[TAG_POOL]).toBe('workers');
    expect(tags[TAG_MACHINE]).toBe('6f1c2d3e-0000-4a5b-9c8d-112233445566');
  });

  it('never reads a request tag as one of ours, even one named like ours', () => {
    const names = tagsForRequest(request({ tags: { polyfleet: 'pool:x:y', 'polyfleet:machine': 'z' } }), 'do');
    const tags = tagsFromNames(names);
    expect(tags).toMatchObject({ polyfleet: 'pool:x:y', 'polyfleet:machine': 'z', [TAG_POOL]: 'workers' });
    expect(names.filter((n) => n.startsWith('polyfleet:'))).toHaveLength(3);
  });

  it('round-trips any text through the escaping, multi-byte characters included', () => {
    for (const text of ['', 'plain-text', 'a_b', 'x:y', 'ümlaut/ß', '💡 idea', '_5f']) {
      expect(unescapeTagPart(escapeTagPart(text))).toBe(text);
      expect(escapeTagPart(text)).toMatch(/^[a-z0-9_-]*$/);
    }
    expect(unescapeTagPart('not_valid_escape')).toBeUndefined();
  });

  it('writes only lowercase names, since DigitalOcean folds a tag to the casing it first saw', () => {
    expect(escapeTagPart('Team')).toBe('_54eam');
    const names = tagsForRequest(request({ managedBy: 'Polyfleet', tags: { Env: 'Prod' } }), 'do');
    expect(names.every((n) => n === n.toLowerCase())).toBe(true);
    expect(tagsFromNames(names)).toMatchObject({ [TAG_MANAGED_BY]: 'Polyfleet', Env: 'Prod' });
  });

  it('keeps a hand-written tag that is not our encoding under its own name', () => {
    expect(tagsFromNames(['web', 'env:prod:eu', 'a_b', 'polyfleet:unknown:x'])).toEqual({ web: '', 'env:prod:eu': '', a_b: '', 'polyfleet:unknown:x': '' });
  });

  it('tells the pool of one namespace from a like-named pool of another', () => {
    expect(poolTag('a', 'b-c')).not.toBe(poolTag('a-b', 'c'));
    expect(machineTag('m', 1)).not.toBe(machineTag('m', 11));
  });

  it('refuses a request tag longer than a DigitalOcean tag name may be, naming its key', () => {
    const create = (): string[] => tagsForRequest(request({ tags: { note: 'x'.repeat(MAX_TAG_LENGTH) } }), 'do-acct');
    expect(create).toThrow(InvalidRequestError);
    expect(create).toThrow(/"note".*do-acct|do-acct.*"note"/);
  });
});
