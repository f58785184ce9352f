// How long until the pool is up: from the create times observed in this pool (a Machine's create
// accepted → Running), the typical one is added to each waiting Machine's own create time.

/** Median create → Running of the pool's Running Machines, with how many were seen; undefined if none. */
export function typicalCreate(machines) {
  const took = [];
  for (const m of machines) {
    if (m.createdAt === undefined || m.runningSince === undefined) continue;
    took.push(Math.max(0, Date.parse(m.runningSince) - Date.parse(m.createdAt)));
  }
  if (took.length === 0) return undefined;
  took.sort((a, b) => a - b);
  return { ms: took[took.length >> 1], samples: took.length };
}

/**
 * What is left of a scale-out: { kind: 'done' } (also when nothing is on its way), { kind: 'unknown', waiting } before any Machine of
 * the pool was seen running, or { kind: 'eta', ms, waiting, typical }. Machines not created yet
 * (no Machine object, or Pending) are counted as starting now.
 */
export function estimate(pool, machines, now) {
  const live = machines.filter((m) => m.phase !== 'Failed' && m.phase !== 'Terminating');
  const starting = live.filter((m) => m.phase !== 'Running');
  const missing = Math.max(0, pool.desired - live.length);
  const waiting = starting.length + missing;
  // Nothing is on its way while the controller is not progressing (paused, a dry run, held by the budget).
  const progressing = pool.conditions.find((c) => c.type === 'Progressing')?.status === 'True';
  if (waiting === 0 || !progressing) return { kind: 'done', waiting };
  const typical = typicalCreate(machines);
  if (typical === undefined) return { kind: 'unknown', waiting };
  let ms = missing > 0 ? typical.ms : 0;
  for (const m of starting) {
    const created = m.createdAt === undefined ? now : Date.parse(m.createdAt);
    ms = Math.max(ms, created + typical.ms - now);
  }
  return { kind: 'eta', ms: Math.max(0, ms), waiting, typical };
}

/** The estimate in a sentence that says where it comes from. */
export function etaWords(e) {
  const machines = `${e.waiting} Machine${e.waiting === 1 ? '' : 's'}`;
  if (e.kind === 'done') return '';
  if (e.kind === 'unknown') return `${machines} still to start; no ETA yet: none of this pool's Machines has reached Running to time a create.`;
  const basis = `a create here takes ${seconds(e.typical.ms)} to Running (median of ${e.typical.samples} seen)`;
  if (e.ms < 1000) return `${machines} still to start, any moment now: ${basis}.`;
  return `About ${seconds(e.ms)} left: ${machines} still to start; ${basis}.`;
}

function seconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
