import { resolveSimDir } from '../../providers/sim/index.js';
import { stopOnSignals } from '../../runtime/manager/index.js';
import { applyManifests } from '../apply/index.js';
import type { CommandIo } from '../command.js';
import { defineCommand, durationFlag, intFlag, parseCommandLine, UsageError } from '../shared/command-runner.js';
import { LEAK_GRACE_HELP, leakGraceFlag, managedByFlag, OFFERING_BACKOFF_HELP, offeringBackoffFlag, PRICE_TTL_HELP, priceTtlFlag } from '../shared/installation-flags.js';
import { logFlags, logFlagsHelp, logOptions, stderrLogger } from '../shared/log-flags.js';
import { loadManifests } from '../shared/manifests.js';
import { registryFlags, registryFlagsHelp, registryOptions } from '../shared/registry-flags.js';
import { SOURCES_DIR_HELP, sourcesDir, sourcesDirOption } from '../shared/sources-dir-flag.js';
import { describeLocation, STATE_FLAG_HELP, stateOption, storeLocation, type StoreLocation } from '../shared/state.js';
import { DEFAULT_LEADER_LEASE_SECONDS, MIN_LEADER_LEASE_SECONDS } from '../../runtime/store/etcd/leader-timing.js';
import { ProgressPrinter } from './progress-printer.js';
import { checkNotOwned, startStandalone } from './standalone.js';
import { CREDENTIALS_HELP } from './credentials-help.js';
import { DEFAULT_INVENTORY_ADDR, inventoryAddrFlag, standaloneAccess } from '../shared/inventory-flags.js';

const DEFAULT_PORT = 8080;

const HELP = `Usage: polyfleet run [-f FILE|DIR ...] [--state FILE | --store etcd://HOST:PORT,... [--leader-elect-lease-duration DURATION]]
                     [--sim-dir DIR] [--port N] [--leak-grace DURATION]
                     [--offering-backoff DURATION] [--price-ttl DURATION] [--managed-by ID] [--registry-etcd etcd://HOST:PORT,... [--dns-domain DOMAIN]]
                     [--inventory-addr HOST:PORT|off] [--inventory-token-file FILE] [--sources-dir DIR]
                     [--log-level LEVEL] [--log-format text|json]

Runs every polyfleet controller on a local state file — the embedded default, no cluster needed —
or on etcd (--store etcd://…). Applies the manifests first (as \`polyfleet apply\` would), takes
ownership of the state file (one \`polyfleet run\` per state; other commands may read and write it
meanwhile) or, on etcd, campaigns for the leader key (several \`polyfleet run\` on different machines
may share one etcd store: one leads, the others wait to take over), then keeps the pools alive until
SIGTERM or SIGINT (a second one stops at once). Prints one line per pool whenever its
progress changes, e.g. "workers: 3/7 running (4 Provisioning) · $0.30/h · MachinesNotReady".

Flags:
  -f, --filename PATH   a manifest file or directory to apply first (repeatable)
${STATE_FLAG_HELP}
  --leader-elect-lease-duration DURATION
                        on etcd: a leader that dies is replaced within this (default ${String(DEFAULT_LEADER_LEASE_SECONDS)}s;
                        whole seconds, at least ${String(MIN_LEADER_LEASE_SECONDS)}s); every \`polyfleet run\` on one store should
                        give the same. Shorter fails over sooner and writes the leader key more often
  --sim-dir DIR         where the simulated cloud keeps its instances (default $POLYFLEET_SIM_DIR,
                        else .polyfleet/sim)
  --port N              serve /metrics, /healthz and /readyz on 127.0.0.1:N (default ${DEFAULT_PORT}; 0 picks
                        a free port); nothing of the fleet is served there
  --inventory-addr HOST:PORT
                        serve the inventory REST API (/v1/tenants, /v1/hosts, bundles, /v1/openapi.json)
                        and the live web view of the fleet (/ui/) there (default ${DEFAULT_INVENTORY_ADDR};
                        port 0 picks a free one; off: neither)
  --inventory-token-file FILE
                        callers of the inventory API must send "Authorization: Bearer <the file's first
                        line>", and the web view asks for it to sign in (then it may scale, pause and
                        resume pools); without it neither takes a token and both listen on loopback only
${SOURCES_DIR_HELP}
${LEAK_GRACE_HELP}
${OFFERING_BACKOFF_HELP}
${PRICE_TTL_HELP}
  --managed-by ID       this installation's identity, the polyfleet.io/managed-by tag of its instances
                        (default the one the state file keeps, made with the file: pf-…, unique). Only
                        this installation's instances are ever looked up or collected as leaks, so
                        several installations may share one cloud account; give the same ID every run
${registryFlagsHelp(24)}
${logFlagsHelp('warn', 'text', 'on stderr')}
  -h, --help            this help

${CREDENTIALS_HELP}
Exit status: 0 stopped by a signal, 1 a manifest or the store cannot be used (etcd unreachable,
refusing the credentials, or holding data under the prefix that is not polyfleet's), another process
owns the state file, or ownership or leadership was lost, 2 usage error.
`;

const OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  ...stateOption,
  'leader-elect-lease-duration': { type: 'string' },
  'sim-dir': { type: 'string' },
  port: { type: 'string' },
  'managed-by': { type: 'string' },
  'leak-grace': { type: 'string' },
  'offering-backoff': { type: 'string' },
  'price-ttl': { type: 'string' },
  ...registryOptions,
  'inventory-addr': { type: 'string' },
  'inventory-token-file': { type: 'string' },
  ...sourcesDirOption,
  ...logOptions('warn', 'text'),
} as const;

export const runCommand = defineCommand({
  name: 'run',
  summary: 'run every controller on a local state file (the embedded default) or etcd, printing progress',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; manifests go after -f`);
    const port = intFlag('port', values.port, 0, 65535) ?? DEFAULT_PORT;
    const logging = logFlags(values);
    const managedBy = managedByFlag('managed-by', values['managed-by']);
    const leakGraceMs = leakGraceFlag(durationFlag('leak-grace', values['leak-grace']));
    const offeringBackoffMs = offeringBackoffFlag(durationFlag('offering-backoff', values['offering-backoff']));
    const priceTtlMs = priceTtlFlag(durationFlag('price-ttl', values['price-ttl']));
    const inventoryAddr = inventoryAddrFlag(values['inventory-addr'], DEFAULT_INVENTORY_ADDR);
    if (inventoryAddr === undefined && values['inventory-token-file'] !== undefined) throw new UsageError('--inventory-token-file is for the inventory API, which --inventory-addr off turns off');
    const inventoryAccess = inventoryAddr === undefined ? undefined : standaloneAccess(inventoryAddr, values['inventory-token-file']);
    const manifests = await loadManifests(values.filename ?? []);
    const location = storeLocation(values);
    const sources = sourcesDir(values['sources-dir'], location);
    if (inventoryAddr === undefined && values['sources-dir'] !== undefined) throw new UsageError('--sources-dir is for the inventory API and web view, which --inventory-addr off turns off');
    const leaderLeaseSeconds = leaderLeaseFlag(values['leader-elect-lease-duration'], location);
    const registry = registryFlags(values);
    checkNotOwned(location);
    const simDir = resolveSimDir(values['sim-dir']);
    const log = stderrLogger(logging);
    const standalone = await startStandalone({
      location,
      log,
      port,
      simDir,
      ...(managedBy === undefined ? {} : { managedBy }),
      ...(leakGraceMs === undefined ? {} : { leakGraceMs }),
      ...(offeringBackoffMs === undefined ? {} : { offeringBackoffMs }),
      ...(priceTtlMs === undefined ? {} : { priceTtlMs }),
      ...(registry === undefined ? {} : { registry }),
      ...(leaderLeaseSeconds === undefined ? {} : { leaderLeaseSeconds }),
      ...(inventoryAddr === undefined || inventoryAccess === undefined ? {} : { inventory: { ...inventoryAddr, access: inventoryAccess }, ...(sources === undefined ? {} : { sourcesDir: sources }) }),
      beforeStart: (store) => applyManifests(store, manifests, io),
    });
    announce(io, describeLocation(location), simDir, standalone.identity, standalone.controllers, standalone.probesUrl);
    if (standalone.inventoryUrl !== undefined) {
      const tokenFile = values['inventory-token-file'] !== undefined;
      const auth = tokenFile ? ' (Bearer token of --inventory-token-file)' : ' (loopback only, no token; --inventory-token-file FILE requires one)';
      io.stdout(`serving the inventory API on ${standalone.inventoryUrl}/v1/${auth}\n`);
      if (standalone.webUrl !== undefined) io.stdout(`web view: ${standalone.webUrl}${tokenFile ? ' (sign in with the token of --inventory-token-file)' : ''}\n`);
    }
    const printer = new ProgressPrinter(standalone.store, (line) => {
      io.stdout(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
    });
    const removeSignalHandlers = stopOnSignals(standalone.manager, log);
    const reason = await standalone.manager.done;
    printer.stop();
    removeSignalHandlers();
    await standalone.stop();
    if (reason === 'leadership-lost') {
      const lost = location.kind === 'file' ? 'ownership of the state file (another process took it over)' : 'the etcd leader lease';
      io.stderr(`polyfleet run: lost ${lost}; stopped\n`);
      return 1;
    }
    io.stdout('stopped\n');
    return 0;
  },
});

/** Whole seconds (etcd leases count them), on an etcd store only: a state file is owned, not leased. */
function leaderLeaseFlag(text: string | undefined, location: StoreLocation): number | undefined {
  const ms = durationFlag('leader-elect-lease-duration', text);
  if (ms === undefined) return undefined;
  if (location.kind !== 'etcd') throw new UsageError('--leader-elect-lease-duration is for --store etcd://…: a state file is owned by one `polyfleet run`, not leased');
  if (ms < MIN_LEADER_LEASE_SECONDS * 1000) throw new UsageError(`--leader-elect-lease-duration must be at least ${String(MIN_LEADER_LEASE_SECONDS)}s (etcd lengthens shorter leases), got ${JSON.stringify(text)}`);
  return ms / 1000;
}

function announce(io: CommandIo, where: string, simDir: string, identity: string, controllers: readonly string[], probesUrl: string | undefined): void {
  io.stdout(`${where}, sim ${simDir}, installation ${identity}\n`);
  io.stdout(controllers.length > 0 ? `controllers: ${controllers.join(', ')}\n` : 'controllers: none in this build yet; objects are stored but not acted on\n');
  if (probesUrl !== undefined) io.stdout(`serving ${probesUrl}/metrics, /healthz and /readyz\n`);
}
