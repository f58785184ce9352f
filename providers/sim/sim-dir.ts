import { join, resolve } from 'node:path';

/**
 * The simulated cloud's state lives in a directory, outside any controller process, so instances
 * outlive a controller crash and several processes (controllers, tests, the CLI) share one cloud:
 *
 *   instances/<id>.json         an instance as created; never rewritten
 *   instances/<id>.delete.json  its delete request (first one wins)
 *   instances/<id>.kill.json    its death by `kill` (first one wins)
 *   instances/<id>.stop.json    its stop by `stop`: powered off, still there (first one wins)
 *   faults.json                 failure rules any process may write (`polyfleet sim faults`)
 *   catalogue.json              optional: replaces the default regions, types and images
 *   tmp/                        files being written; names start with the writer's pid
 */
export const SIM_DIR_ENV = 'POLYFLEET_SIM_DIR';
export const DEFAULT_SIM_DIR = '.polyfleet/sim';

/** `dir` if given, else $POLYFLEET_SIM_DIR, else .polyfleet/sim, as an absolute path. */
export function resolveSimDir(dir?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(dir ?? env[SIM_DIR_ENV] ?? DEFAULT_SIM_DIR);
}

export function instancesDir(dir: string): string {
  return join(dir, 'instances');
}

export function tmpDir(dir: string): string {
  return join(dir, 'tmp');
}

export function faultsFile(dir: string): string {
  return join(dir, 'faults.json');
}

export function catalogueFile(dir: string): string {
  return join(dir, 'catalogue.json');
}
