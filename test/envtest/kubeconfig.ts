import { writeFileSync } from 'node:fs';

export interface KubeconfigParams {
  server: string;
  caPem: string;
  token: string;
  user: string;
  contextName?: string;
}

/** A kubeconfig with one cluster (trusting the given CA), one token user, and one current context. */
export function renderKubeconfig({ server, caPem, token, user, contextName = 'envtest' }: KubeconfigParams): string {
  const ca = Buffer.from(caPem, 'utf8').toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${contextName}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${contextName}`,
    '  context:',
    `    cluster: ${contextName}`,
    `    user: ${user}`,
    '    namespace: default',
    `current-context: ${contextName}`,
    '',
  ].join('\n');
}

export function writeKubeconfig(path: string, params: KubeconfigParams): void {
  writeFileSync(path, renderKubeconfig(params), { mode: 0o600 });
}
