import { describe, expect, it } from '@jest/globals';
import { OWN_TAG_KEYS, TAG_MACHINE, TAG_POOL } from '../types.js';
import { TAGS_METADATA_KEY, decodeLabelValue, encodeLabelValue, labelFilter, labelKey, labelsToTags, tagsToLabels } from './labels.js';

const VALID_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const VALID_VALUE = /^[a-z0-9_-]{0,63}$/;

describe('GCE label mapping', () => {
  it('gives every own tag key a fixed, valid label key', () => {
    expect(labelKey(TAG_POOL)).toBe('polyfleet-io_pool');
    expect(labelKey(TAG_MACHINE)).toBe('polyfleet-io_machine');
    for (const key of OWN_TAG_KEYS) expect(labelKey(key)).toMatch(VALID_KEY);
  });

  it('keeps valid user keys, and leaves out keys a label cannot hold or that would pass for ours', () => {
    expect(labelKey('team')).toBe('team');
    expect(labelKey('Team')).toBeUndefined();
    expect(labelKey('example.com/owner')).toBeUndefined();
    expect(labelKey('polyfleet-io_pool')).toBeUndefined();
  });

  it.each([
    ['workers', 'workers'],
    ['3f2b6c1e-0a4d-4c5e-9b7a-1d2e3f4a5b6c', '3f2b6c1e-0a4d-4c5e-9b7a-1d2e3f4a5b6c'],
    ['web.tier', 'web_2etier'],
    ['A_b', '_41_5fb'],
    ['über', '_c3_bcber'],
    ['', ''],
  ])('writes %j as the label value %j, and reads it back exactly', (value, label) => {
    expect(encodeLabelValue(value)).toBe(label);
    expect(label).toMatch(VALID_VALUE);
    expect(decodeLabelValue(label)).toBe(value);
  });

  it('hashes a value whose escaped form is longer than 63 characters, deterministically', () => {
    const long = `pool.${'x'.repeat(70)}`;
    const label = encodeLabelValue(long);
    expect(label).toMatch(VALID_VALUE);
    expect(label).toHaveLength(63);
    expect(label.startsWith('_h')).toBe(true);
    expect(encodeLabelValue(long)).toBe(label);
    expect(encodeLabelValue(`${long}y`)).not.toBe(label);
    expect(decodeLabelValue(label)).toBeUndefined();
  });

  it('reads tags back from labels, preferring the verbatim copy in metadata', () => {
    const tags = { [TAG_POOL]: 'Web.Tier', team: 'infra', 'example.com/owner': 'ops' };
    const labels = tagsToLabels(tags);
    expect(labels).toEqual({ 'polyfleet-io_pool': '_57eb_2e_54ier', team: 'infra' });
    expect(labelsToTags(labels, undefined)).toEqual({ [TAG_POOL]: 'Web.Tier', team: 'infra' });
    expect(labelsToTags(labels, tags)).toEqual(tags);
    expect(TAGS_METADATA_KEY).toBe('polyfleet-tags');
  });

  it('builds a filter of label equalities joined by AND', () => {
    expect(labelFilter({ [TAG_MACHINE]: 'm-1', [TAG_POOL]: 'a.b' })).toBe('labels.polyfleet-io_machine = "m-1" AND labels.polyfleet-io_pool = "a_2eb"');
  });
});
