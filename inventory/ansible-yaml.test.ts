import { describe, expect, it } from '@jest/globals';
import { ansibleYaml } from './ansible-yaml.js';
import { pythonLiteral, shellWord } from './python-literal.js';

// Ansible itself reads these back in test/integration/inventory-ansible.test.ts; here, the spelling.
describe('ansibleYaml', () => {
  it('quotes every string and keys YAML 1.1 would take for booleans, and gives floats a dot', () => {
    expect(ansibleYaml({ a: 'yes', yes: 1, n: 1e21, t: 5e-7, i: 42, l: [null, true], m: { 'k k': 'v' }, e: {} })).toBe(
      'a: "yes"\n"yes": 1\n"n": 1.0e+21\nt: 5.0e-7\ni: 42\nl: [null, true]\nm:\n  "k k": "v"\ne: {}\n',
    );
  });

  it('refuses a value no YAML reader would give back', () => {
    expect(() => ansibleYaml({ x: Number.NaN })).toThrow('NaN is no variable value Ansible can read');
  });
});

describe('pythonLiteral and shellWord (the INI format)', () => {
  it('writes strings, numbers, booleans, None, lists and dicts as Python literals', () => {
    expect(pythonLiteral({ s: "it's\n", n: 0.5, b: false, z: null, l: [1, 'x'] })).toBe("{'s': 'it\\'s\\n', 'n': 0.5, 'b': False, 'z': None, 'l': [1, 'x']}");
  });

  it('quotes a word for shlex only when it must', () => {
    expect(shellWord('10.0.0.1')).toBe('10.0.0.1');
    expect(shellWord("'0.10'")).toBe(`''"'"'0.10'"'"''`);
  });
});
