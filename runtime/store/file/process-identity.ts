import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a lock or owns a state file: enough to tell, on the same host, whether it still runs. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly hostname: string;
  /** Linux's boot id: a holder from before a reboot is dead whatever its pid says. */
  readonly bootId?: string;
  /** The process's start time in clock ticks since boot (Linux): tells a reused pid from the holder. */
  readonly startTicks?: string;
}

let self: ProcessIdentity | undefined;

export function currentProcess(): ProcessIdentity {
  self ??= {
    pid: process.pid,
    hostname: hostname(),
    ...optional('bootId', readBootId()),
    ...optional('startTicks', readStartTicks(process.pid)),
  };
  return self;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/**
 * True only when `holder` certainly no longer runs: same host, and its boot, pid or start time
 * says so. A holder on another host is never declared dead: we cannot see its processes.
 */
export function isCertainlyDead(holder: ProcessIdentity): boolean {
  const me = currentProcess();
  if (holder.hostname !== me.hostname) return false;
  if (holder.bootId !== undefined && me.bootId !== undefined && holder.bootId !== me.bootId) return true;
  if (holder.pid === me.pid) return holder.startTicks !== undefined && me.startTicks !== undefined && holder.startTicks !== me.startTicks;
  if (!pidRuns(holder.pid)) return true;
  const ticks = holder.startTicks === undefined ? undefined : readStartTicks(holder.pid);
  return ticks !== undefined && ticks !== holder.startTicks;
}

export function describeProcess(p: ProcessIdentity): string {
  return `pid ${p.pid} on ${p.hostname}`;
}

export function isProcessIdentity(value: unknown): value is ProcessIdentity {
  const v = value as Partial<Record<keyof ProcessIdentity, unknown>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(v.pid) &&
    typeof v.hostname === 'string' &&
    (v.bootId === undefined || typeof v.bootId === 'string') &&
    (v.startTicks === undefined || typeof v.startTicks === 'string')
  );
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and parentheses. */
function readStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
