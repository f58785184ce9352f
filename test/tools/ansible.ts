// The real Ansible, as the judge of our inventory: ansible-core pinned, in a venv under
// ~/.cache/polyfleet/ansible that .ci/run makes once (ANSIBLE_CORE_VERSION there).
import { existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runProcess, type ProcessResult } from './run-process.js';

export const ANSIBLE_VENV = join(homedir(), '.cache', 'polyfleet', 'ansible');

/** The venv's bin/, or an error saying how to get it: these tests never skip. */
export function ansibleBin(): string {
  if (!existsSync(join(ANSIBLE_VENV, '.installed'))) {
    throw new Error(
      `ansible-core is not installed in ${ANSIBLE_VENV}: run .ci/run once, or ` +
        `python3 -m venv ${ANSIBLE_VENV} && ${ANSIBLE_VENV}/bin/pip install ansible-core==2.19.14 && touch ${ANSIBLE_VENV}/.installed`,
    );
  }
  return join(ANSIBLE_VENV, 'bin');
}

/**
 * Runs an Ansible command strictly: an inventory source Ansible cannot parse is a failure, not a
 * warning and an empty inventory; an empty config of the test's own, so none of the machine's or
 * the user's is read.
 */
export async function ansible(command: 'ansible' | 'ansible-inventory', args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  const config = join(cwd, 'polyfleet-test-ansible.cfg');
  if (!existsSync(config)) writeFileSync(config, '[defaults]\n');
  const result = await runProcess(join(ansibleBin(), command), args, {
    cwd,
    env: {
      PATH: `${ansibleBin()}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? cwd,
      ANSIBLE_CONFIG: config,
      ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: '1',
      ANSIBLE_INVENTORY_UNPARSED_WARNING: '1',
      ANSIBLE_LOCAL_TEMP: join(cwd, '.ansible-tmp'),
      ANSIBLE_HOME: join(cwd, '.ansible'),
      PYTHONWARNINGS: 'ignore',
      ...env,
    },
  });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result;
}

/** `ansible-inventory -i SOURCE --list [--export]`, parsed. */
export async function ansibleInventoryList(source: string, cwd: string, options: { export: boolean; env?: NodeJS.ProcessEnv }): Promise<Record<string, unknown>> {
  const r = await ansible('ansible-inventory', ['-i', source, '--list', ...(options.export ? ['--export'] : [])], cwd, options.env);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** How debug prints a variable no source defines (2.19 wording, and the older one). */
const UNDEFINED = /^(<< error \d+ - '[^']*' is undefined >>|VARIABLE IS NOT DEFINED!)$/;

/**
 * Ansible's own value of `variable` for every host, by `ansible -i SOURCE all -m debug -a var=…` (the
 * debug module connects to nothing), read from the minimal callback's "HOST | SUCCESS => {json}".
 */
export async function ansibleDebugVar(source: string, variable: string, cwd: string): Promise<Record<string, unknown>> {
  const r = await ansible('ansible', ['-i', source, 'all', '-m', 'debug', '-a', `var=${variable}`], cwd, { ANSIBLE_STDOUT_CALLBACK: 'ansible.builtin.minimal', ANSIBLE_NOCOLOR: '1' });
  const parts = r.stdout.split(/^(\S+) \| SUCCESS => /m).slice(1);
  const values: Record<string, unknown> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const value = (JSON.parse(parts[i + 1] as string) as Record<string, unknown>)[variable];
    values[parts[i] as string] = typeof value === 'string' && UNDEFINED.test(value) ? undefined : value;
  }
  return values;
}

type Json = Record<string, unknown>;

/**
 * What an inventory says, in one shape for both sides: Ansible adds an `ungrouped` group and a
 * `profile` under _meta, leaves out the entry (not the name) of an empty group, and orders lists its
 * own way; none of that is content.
 */
export function normalizedList(list: Json): Json {
  const out: Json = {};
  for (const [name, value] of Object.entries(list)) {
    if (name === '_meta') {
      out._meta = { hostvars: (value as { hostvars: unknown }).hostvars };
      continue;
    }
    const g = value as { hosts?: string[]; children?: string[]; vars?: Json };
    const group: Json = {};
    if ((g.hosts ?? []).length > 0) group.hosts = [...(g.hosts ?? [])].sort();
    const children = (g.children ?? []).filter((c) => c !== 'ungrouped').sort();
    if (children.length > 0) group.children = children;
    if (Object.keys(g.vars ?? {}).length > 0) group.vars = g.vars;
    // ansible-inventory lists an empty group among its parent's children but gives it no entry.
    if (Object.keys(group).length === 0) continue;
    out[name] = group;
  }
  return out;
}
