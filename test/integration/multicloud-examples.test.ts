// The standalone variant each cloud example shows in a comment — `# credentials:` under an account,
// to use instead of its credentialsSecretRef — is what a user gets by uncommenting it: a Strategy
// the API accepts, with the credential keys that account's adapter reads, each a ${env.…} or
// ${file:…} reference. A renamed key or a broken snippet fails here, not for the user.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CREDENTIAL_REFERENCE, parseResource, type ProviderAccount } from '../../api/index.js';
import { CREDENTIAL_KEY_SETS, missingCredentialKeys } from '../../providers/index.js';
import { repoRoot } from './kubectl.js';

/** Every commented `credentials` block of a file, uncommented and parsed, in file order. */
function commentedCredentials(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const blocks: Record<string, string>[] = [];
  lines.forEach((line, i) => {
    const start = /^(\s*)# (credentials:.*)$/.exec(line);
    if (start === null) return;
    const [, indent = '', first = ''] = start;
    const body = [first];
    for (const next of lines.slice(i + 1)) {
      if (!next.startsWith(`${indent}#   `)) break;
      body.push(next.slice(indent.length + 2));
    }
    blocks.push((parse(body.join('\n')) as { credentials: Record<string, string> }).credentials);
  });
  return blocks;
}

const EXAMPLES = ['examples/aws/pool.yaml', 'examples/gcp/pool.yaml', 'examples/digitalocean/pool.yaml', 'examples/multicloud/strategy.yaml'];

describe.each(EXAMPLES)('%s, standalone variant', (file) => {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const strategy = parseAllDocuments(text)
    .map((d) => d.toJS() as { kind?: string; spec: { providers: ProviderAccount[] } })
    .find((d) => d.kind === 'Strategy');
  if (strategy === undefined) throw new Error(`${file} holds no Strategy`);
  const blocks = commentedCredentials(text);

  it('shows one commented credentials block per account, with the keys its adapter reads, as references', () => {
    expect(blocks).toHaveLength(strategy.spec.providers.length);
    strategy.spec.providers.forEach((account, i) => {
      const credentials = blocks[i] ?? {};
      const known = new Set(CREDENTIAL_KEY_SETS[account.type].flat());
      expect({ account: account.name, missing: missingCredentialKeys(account.type, credentials) }).toEqual({ account: account.name, missing: undefined });
      expect(Object.keys(credentials).filter((k) => !known.has(k))).toEqual([]);
      for (const value of Object.values(credentials)) expect(value).toMatch(CREDENTIAL_REFERENCE);
    });
  });

  it('is a Strategy the API accepts once uncommented in place of credentialsSecretRef', () => {
    const providers = strategy.spec.providers.map(({ credentialsSecretRef: _, ...account }, i) => ({ ...account, credentials: blocks[i] }));
    const parsed = parseResource({ ...strategy, spec: { ...strategy.spec, providers } });
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });
});
