import { describe, expect, it } from '@jest/globals';
import { controllerCommand } from './controller-command.js';
import { runningInCluster } from './kube-wiring.js';

describe('polyfleet controller', () => {
  it.each([
    { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, inCluster: true },
    { env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBECONFIG: '/k' }, inCluster: false },
    { env: {}, inCluster: false },
  ])('is in a cluster (Lease on by default) when $env', ({ env, inCluster }) => {
    expect(runningInCluster(env)).toBe(inCluster);
  });

  it.each([
    { argv: ['--leader-elect', '--no-leader-elect'], message: '--leader-elect and --no-leader-elect contradict each other' },
    { argv: ['--no-leader-elect', '--leader-elect-lease-duration', '5s'], message: '--leader-elect-lease-duration is for leader election: give --leader-elect too' },
    { argv: ['--leader-elect', '--leader-elect-lease-duration', '1s'], message: '--leader-elect-lease-duration must be at least 2s, got "1s"' },
    { argv: ['--leader-elect', '--leader-elect-lease-duration', 'soon'], message: '--leader-elect-lease-duration must be a duration such as 90s, 5m or 1h30m, got "soon"' },
    { argv: ['--port', '99999'], message: '--port must be a whole number from 0 to 65535, got "99999"' },
    { argv: ['--offering-backoff', '0s'], message: '--offering-backoff must be from 1s to 30m, got 0s' },
    { argv: ['--log-level', 'chatty'], message: '--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "chatty"' },
    { argv: ['extra'], message: 'unexpected argument "extra"' },
    { argv: ['--inventory-addr', '8081'], message: '--inventory-addr must be HOST:PORT (e.g. 127.0.0.1:8081, 0.0.0.0:8081, [::1]:8081; port 0 picks a free one), got "8081", or off' },
    { argv: ['--inventory-addr', '0.0.0.0:8081', '--inventory-tls-cert', 'tls.crt'], message: 'give --inventory-tls-cert and --inventory-tls-key together' },
    { argv: ['--inventory-tls-cert', '/nonexistent/tls.crt', '--inventory-tls-key', '/nonexistent/tls.key'], message: '--inventory-tls-cert /nonexistent/tls.crt: ENOENT' },
    { argv: ['--namespace', 'a', '--namespace', ''], message: '--namespace needs a namespace name' },
    { argv: ['--allow-endpoint', 'http://127.0.0.1:5000'], message: '--allow-endpoint "http://127.0.0.1:5000" is not HOST or HOST:PORT (no scheme, path or user)' },
    { argv: ['--allow-endpoint', '127.0.0.1', '--allow-endpoint', 'host:99999'], message: '--allow-endpoint "host:99999" has a port outside 1-65535' },
  ])('exits 2 on usage: $message', async ({ argv, message }) => {
    let stderr = '';
    const code = await controllerCommand.run(argv, { stdout: () => {}, stderr: (s) => (stderr += s) });
    expect(code).toBe(2);
    expect(stderr).toContain(`polyfleet controller: ${message}`);
  });

  it('has help that names every flag it takes', async () => {
    let stdout = '';
    expect(await controllerCommand.run(['--help'], { stdout: (s) => (stdout += s), stderr: () => {} })).toBe(0);
    for (const flag of ['--kubeconfig', '--namespace', '--leader-elect', '--no-leader-elect', '--leader-elect-lease-duration', '--lease-namespace', '--port', '--bind-address', '--managed-by', '--sim-dir', '--allow-endpoint', '--inventory-addr', '--inventory-tls-cert', '--inventory-tls-key', '--log-level']) expect(stdout).toContain(flag);
    expect(stdout).toMatch(/--allow-endpoint HOST .*repeat[\s\S]*whoever may write a Strategy chooses it/);
  });
});
