// Proves the envtest harness: the shared kube-apiserver answers, trusts our CA and token, and
// kubectl works through the KUBECONFIG the jest global setup exported.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { readEnvtestInfo } from '../envtest/info.js';

const run = promisify(execFile);

function getJson(url: string, token: string, ca: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }); });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('envtest', () => {
  const info = readEnvtestInfo();

  it('exports KUBECONFIG to the test workers', () => {
    expect(process.env.KUBECONFIG).toBe(info.kubeconfigPath);
  });

  it('serves /version over TLS verified against its CA', async () => {
    const { status, body } = await getJson(`${info.server}/version`, info.token, readFileSync(info.caFile, 'utf8'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ gitVersion: info.k8sVersion });
  });

  it('answers kubectl as an admin', async () => {
    const { stdout } = await run('kubectl', ['get', 'ns', '-o', 'name']);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
    const { stdout: canI } = await run('kubectl', ['auth', 'can-i', '*', '*', '--all-namespaces']);
    expect(canI.trim()).toBe('yes');
  });
});
