import { parseAllowedEndpoint, type AllowedEndpoint } from '../../controllers/shared/index.js';
import { createLogger } from '../../runtime/log.js';
import { stopOnSignals } from '../../runtime/manager/index.js';
import { DEFAULT_LEASE_SECONDS, MIN_LEASE_SECONDS } from '../../runtime/leader/index.js';
import { CREDENTIALS_SECRET_TYPE } from '../../runtime/secrets/index.js';
import { CommandFailure, defineCommand, durationFlag, intFlag, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { LEAK_GRACE_HELP, leakGraceFlag, managedByFlag, OFFERING_BACKOFF_HELP, offeringBackoffFlag, PRICE_TTL_HELP, priceTtlFlag } from '../shared/installation-flags.js';
import { logFlags, logFlagsHelp, logOptions } from '../shared/log-flags.js';
import { registerRegistry, registryFlags, registryFlagsHelp, registryOptions } from '../shared/registry-flags.js';
import { inventoryAddrFlag, inventoryTlsFlags } from '../shared/inventory-flags.js';
import { clusterIdentity } from './cluster-identity.js';
import { startClusterInventoryApi } from './inventory-wiring.js';
import type { InventoryServer } from '../shared/inventory-server.js';
import { buildClusterManager, LEASE_NAME, loadKubeConfig, runningInCluster } from './kube-wiring.js';

const DEFAULT_PORT = 8080;

const HELP = `Usage: polyfleet controller [--kubeconfig FILE] [--namespace NS]... [--port N] [--cluster-name NAME]
                            [--leader-elect [--leader-elect-lease-duration DURATION]]
                            [--leak-grace DURATION] [--offering-backoff DURATION] [--price-ttl DURATION] [--allow-endpoint HOST]...
                            [--registry-etcd etcd://HOST:PORT,... [--dns-domain DOMAIN]]
                            [--inventory-addr HOST:PORT [--inventory-tls-cert FILE --inventory-tls-key FILE]]

Runs every polyfleet controller against a Kubernetes API server (cluster mode): NodePools,
Strategies, PlacementRules and Machines are custom resources (install crds/ first), events are
events.k8s.io Events. Stops gracefully on SIGTERM or SIGINT (a second one stops at once).

Flags:
  --kubeconfig FILE       the kubeconfig (default $KUBECONFIG, ~/.kube/config, or the in-cluster
                          service account)
  -n, --namespace NS      list and watch only this namespace (repeat for more; default every
                          namespace): then RBAC Roles in those namespaces suffice, no ClusterRole
  --leader-elect          campaign for the Lease ${LEASE_NAME} and reconcile only while holding it
                          (default on in a pod, off elsewhere)
  --no-leader-elect       reconcile at once, without a Lease (one replica only)
  --leader-elect-lease-duration DURATION
                          how long the Lease lasts unrenewed: a leader that dies is replaced within
                          it (default ${String(DEFAULT_LEASE_SECONDS)}s; whole seconds, at least ${String(MIN_LEASE_SECONDS)}s). The leader renews
                          every 2/15 of it and stops leading after 2/3 of it without a renewal, as
                          client-go's 2s and 10s of 15s; every replica should give the same
  --lease-namespace NS    where the Lease lives (default $POD_NAMESPACE, else the first --namespace, else default)
  --port N                serve /metrics, /healthz and /readyz on N (default ${DEFAULT_PORT}; 0 picks a free one)
  --bind-address HOST     the probes' address (default 0.0.0.0 in a pod, else 127.0.0.1)
  --cluster-name NAME     this installation's identity, the polyfleet.io/managed-by tag of its instances
                          (default k8s-<UID of the kube-system Namespace>: unique per cluster, which
                          needs get on namespaces/kube-system). Only this installation's instances are
                          ever looked up or collected as leaks, so clusters may share a cloud account
  --managed-by ID         the same as --cluster-name (its name before there was one)
${LEAK_GRACE_HELP.replaceAll('\n                        ', '\n                          ').replace('  --leak-grace DURATION ', '  --leak-grace DURATION   ')}
${OFFERING_BACKOFF_HELP.replaceAll('\n                        ', '\n                          ')}
${PRICE_TTL_HELP.replaceAll('\n                        ', '\n                          ')}
  --sim-dir DIR           where the simulated cloud keeps its instances (default $POLYFLEET_SIM_DIR,
                          else .polyfleet/sim)
  --allow-endpoint HOST   a provider account's endpoint may point at HOST (repeat for more hosts; HOST
                          is matched exactly against the endpoint URL's host name, HOST:PORT also pins
                          the port). Default none: every aws, gcp or digitalocean account with an
                          endpoint is refused, because whoever may write a Strategy chooses it and the
                          controller would send the account's credentials and calls there
${registryFlagsHelp(26)}
  --inventory-addr HOST:PORT
                          serve the inventory REST API (/v1/…, /v1/openapi.json) and the live web view
                          (/ui/) there (default off). Callers send "Authorization: Bearer <a Kubernetes
                          token>" (the web view asks for it to sign in); the API server checks it
                          (TokenReview) and RBAC decides (SubjectAccessReview): list machines in a
                          namespace reads its inventory, get on a Secret receives it, list nodepools
                          and machines shows the namespace's pools, patch on a NodePool scales,
                          pauses and resumes it from the page.
                          The service account needs create on tokenreviews and subjectaccessreviews
                          (ClusterRole system:auth-delegator)
  --inventory-tls-cert FILE, --inventory-tls-key FILE
                          serve it over HTTPS with this certificate chain and key (PEM)
${logFlagsHelp('info', 'json', 'on stdout', 24)}
  -h, --help              this help

Credentials: a provider account's credentialsSecretRef names a Secret in the Strategy's namespace
(keys: aws accessKeyId + secretAccessKey, gcp serviceAccountKey or accessToken, digitalocean token)
of type ${CREDENTIALS_SECRET_TYPE}, which only whoever creates the Secret can give it:
  kubectl create secret generic NAME --type=${CREDENTIALS_SECRET_TYPE} --from-literal=KEY=VALUE
Secrets of any other type are refused, so a Strategy writer cannot have a TLS key or another team's
token sent out. The service account needs \`get\` on secrets there. A Secret is read again every
30 s, so an edit is used within that. credentials: references (\${env.VAR}, \${file:PATH}) are
refused in a cluster: they would give the controller's environment and files to whoever may write a
Strategy; for the same reason an account with an endpoint needs a Secret (else its SDK would send
the controller's own cloud identity there), and its endpoint's host must be allowed (--allow-endpoint).
A NodePool's userDataSecretRef names a Secret of the same type.

Exit status: 0 stopped by a signal, 1 the kubeconfig cannot be used, a watch cannot be opened or
leadership was lost (the process exits to be restarted, as controller-runtime's do), 2 usage error.
`;

const OPTIONS = {
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n', multiple: true },
  'leader-elect': { type: 'boolean' },
  'no-leader-elect': { type: 'boolean' },
  'leader-elect-lease-duration': { type: 'string' },
  'lease-namespace': { type: 'string' },
  port: { type: 'string' },
  'bind-address': { type: 'string' },
  'managed-by': { type: 'string' },
  'cluster-name': { type: 'string' },
  'leak-grace': { type: 'string' },
  'offering-backoff': { type: 'string' },
  'price-ttl': { type: 'string' },
  'sim-dir': { type: 'string' },
  'allow-endpoint': { type: 'string', multiple: true },
  ...registryOptions,
  'inventory-addr': { type: 'string' },
  'inventory-tls-cert': { type: 'string' },
  'inventory-tls-key': { type: 'string' },
  ...logOptions('info', 'json'),
} as const;

export const controllerCommand = defineCommand({
  name: 'controller',
  summary: 'run every controller against a Kubernetes API server (cluster mode, Lease leader election)',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    if (values['leader-elect'] === true && values['no-leader-elect'] === true) throw new UsageError('--leader-elect and --no-leader-elect contradict each other');
    const logging = logFlags(values);
    const port = intFlag('port', values.port, 0, 65535) ?? DEFAULT_PORT;
    const allowedEndpoints = allowEndpointFlags(values['allow-endpoint'] ?? []);
    const clusterName = clusterNameFlag(values['cluster-name'], values['managed-by']);
    const leakGraceMs = leakGraceFlag(durationFlag('leak-grace', values['leak-grace']));
    const offeringBackoffMs = offeringBackoffFlag(durationFlag('offering-backoff', values['offering-backoff']));
    const priceTtlMs = priceTtlFlag(durationFlag('price-ttl', values['price-ttl']));
    const registry = registryFlags(values);
    const inCluster = runningInCluster() && values.kubeconfig === undefined;
    const leaderElect = values['leader-elect'] ?? (values['no-leader-elect'] === true ? false : inCluster);
    const leaseSeconds = leaseDurationFlag(values['leader-elect-lease-duration'], leaderElect);
    const namespaces = values.namespace === undefined || values.namespace.length === 0 ? undefined : values.namespace;
    if (namespaces?.includes('') === true) throw new UsageError('--namespace needs a namespace name');
    const inventoryAddr = inventoryAddrFlag(values['inventory-addr'], undefined);
    const inventoryTls = inventoryTlsFlags(values['inventory-tls-cert'], values['inventory-tls-key']);
    if (inventoryAddr === undefined && inventoryTls !== undefined) throw new UsageError('--inventory-tls-cert and --inventory-tls-key are for the inventory API: give --inventory-addr HOST:PORT too');
    const leaseNamespace = values['lease-namespace'] ?? process.env.POD_NAMESPACE ?? namespaces?.[0] ?? 'default';
    let kubeConfig;
    try {
      kubeConfig = loadKubeConfig(values.kubeconfig);
    } catch (e) {
      throw new CommandFailure(`cannot load the kubeconfig ${values.kubeconfig ?? '(default)'}: ${(e as Error).message}`);
    }
    const log = createLogger(logging);
    const identity = await clusterIdentity(kubeConfig, clusterName);
    const { manager, store, controllers } = buildClusterManager(
      { namespaces, leaseNamespace: leaderElect ? leaseNamespace : undefined, leaseSeconds, managedBy: identity, leakGraceMs, offeringBackoffMs, priceTtlMs, simDir: values['sim-dir'], allowedEndpoints, log },
      kubeConfig,
    );
    let closeRegistry: (() => void) | undefined;
    if (registry !== undefined) {
      try {
        closeRegistry = await registerRegistry(manager, store, registry, log);
      } catch (e) {
        await store.close();
        throw new CommandFailure(`cannot open the node registry: ${(e as Error).message}`);
      }
      controllers.push('registry');
    }
    log.info({ server: kubeConfig.getCurrentCluster()?.server, namespaces: namespaces ?? '(all)', leaderElect, leaseNamespace, installation: identity, allowedEndpoints: values['allow-endpoint'] ?? [], controllers }, 'starting polyfleet controller');
    const removeSignalHandlers = stopOnSignals(manager, log);
    let inventory: InventoryServer | undefined;
    try {
      const probes = await manager.listen({ port, host: values['bind-address'] ?? (inCluster ? '0.0.0.0' : '127.0.0.1') });
      // With --port 0 this line is the only way to learn where /metrics is.
      log.info({ url: probes.url }, 'serving /metrics, /healthz and /readyz');
      if (inventoryAddr !== undefined) {
        inventory = await startClusterInventoryApi(store, kubeConfig, { ...inventoryAddr, ...(inventoryTls === undefined ? {} : { tls: inventoryTls }) }, log);
        log.info({ url: inventory.url }, 'serving the inventory API');
        log.info({ url: inventory.webUrl }, 'serving the web view');
      }
      await manager.start();
    } catch (e) {
      removeSignalHandlers();
      await inventory?.close();
      await manager.stop();
      closeRegistry?.();
      await store.close();
      throw new CommandFailure(`cannot start: ${(e as Error).message}`);
    }
    const reason = await manager.done;
    removeSignalHandlers();
    closeRegistry?.();
    await inventory?.close();
    await store.close();
    if (reason === 'leadership-lost') {
      io.stderr('polyfleet controller: lost the Lease; exiting to be restarted\n');
      return 1;
    }
    return 0;
  },
});

/** --cluster-name, or --managed-by (its older name); both must then agree. */
function clusterNameFlag(clusterName: string | undefined, managedBy: string | undefined): string | undefined {
  const name = managedByFlag('cluster-name', clusterName);
  const alias = managedByFlag('managed-by', managedBy);
  if (name !== undefined && alias !== undefined && name !== alias) throw new UsageError(`--cluster-name ${name} and --managed-by ${alias} name two identities; give one`);
  return name ?? alias;
}

/** Every --allow-endpoint, parsed; a UsageError names the first that is not HOST or HOST:PORT. */
function allowEndpointFlags(texts: readonly string[]): AllowedEndpoint[] {
  return texts.map((text) => {
    const parsed = parseAllowedEndpoint(text);
    if (parsed.kind === 'invalid') throw new UsageError(`--allow-endpoint ${parsed.message}`);
    return parsed.value;
  });
}

/** Whole seconds (a Lease counts them), and only with leader election. */
function leaseDurationFlag(text: string | undefined, leaderElect: boolean): number | undefined {
  const ms = durationFlag('leader-elect-lease-duration', text);
  if (ms === undefined) return undefined;
  if (!leaderElect) throw new UsageError('--leader-elect-lease-duration is for leader election: give --leader-elect too (it is on by default only in a pod)');
  if (ms < MIN_LEASE_SECONDS * 1000) throw new UsageError(`--leader-elect-lease-duration must be at least ${String(MIN_LEASE_SECONDS)}s, got ${JSON.stringify(text)}`);
  return ms / 1000;
}
