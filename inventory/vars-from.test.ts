import { describe, expect, it } from '@jest/globals';
import { hostGroup, TENANT } from './fixture.js';
import { resolveVarsFrom, type VarsSourceReader } from './vars-from.js';

const CANARY = 'canary-value-never-printed';
const reader: VarsSourceReader = {
  configMapKey: (_ns, name, key) => Promise.resolve(({ 'cm/vars.yaml': 'a: 1\nflag: yes\nb: [x]\n', 'cm/list.yaml': '- not a map\n', 'cm/bad.yaml': `a: [${CANARY}` } as Record<string, string>)[`${name}/${key}`]),
  secretKey: (_ns, name, key) =>
    Promise.resolve(name === 'opaque' ? { refused: 'the Secret is of type Opaque, not polyfleet.io/credentials' } : ({ 'creds/vars.yaml': 'token: s3cret\na: 2\n' } as Record<string, string>)[`${name}/${key}`]),
};

describe('resolveVarsFrom', () => {
  it('reads each entry in order, as Ansible would read a vars file (YAML 1.1: yes is true)', async () => {
    const r = await resolveVarsFrom(TENANT, [hostGroup('g', { varsFrom: [{ configMapKeyRef: { name: 'cm', key: 'vars.yaml' } }, { secretKeyRef: { name: 'creds', key: 'vars.yaml' } }] })], reader);
    expect(r.varsFrom.get('g')).toEqual([{ a: 1, flag: true, b: ['x'] }, { token: 's3cret', a: 2 }]);
    expect(r.problems).toEqual([]);
  });

  it('names what it could not use — missing, not a map, not YAML, a Secret without the opt-in — and never a value', async () => {
    const r = await resolveVarsFrom(
      TENANT,
      [
        hostGroup('g', {
          varsFrom: [
            { configMapKeyRef: { name: 'cm', key: 'missing' } },
            { configMapKeyRef: { name: 'cm', key: 'list.yaml' } },
            { configMapKeyRef: { name: 'cm', key: 'bad.yaml' } },
            { secretKeyRef: { name: 'opaque', key: 'k' } },
          ],
        }),
      ],
      reader,
    );
    expect(r.varsFrom.get('g')).toEqual([]);
    expect(r.problems).toEqual([
      'HostGroup "g" varsFrom[0]: ConfigMap "cm" key "missing" not found',
      'HostGroup "g" varsFrom[1]: ConfigMap "cm" key "list.yaml" is not a YAML map of variables',
      'HostGroup "g" varsFrom[2]: ConfigMap "cm" key "bad.yaml" is not a YAML map of variables',
      'HostGroup "g" varsFrom[3]: Secret "opaque" key "k" not used: the Secret is of type Opaque, not polyfleet.io/credentials',
    ]);
    expect(r.problems.join('\n')).not.toContain(CANARY);
  });
});
