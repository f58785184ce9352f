// An Explanation as text: the full trace for a human, and one line for Machine.status.

import type { ExplainedDraw, ExplainedEvent, Explanation } from './explain.js';
import { assertNever } from './map-text.js';

export function formatExplanation(e: Explanation): string {
  const lines = [`CRUSH map "${e.map}", rule ${e.rule.id} "${e.rule.name}", x=${e.x}, result_max ${e.resultMax}`];
  for (const step of e.steps) {
    lines.push(`step ${step.index + 1}: ${step.text}`);
    for (const event of step.events) lines.push(`${'  '.repeat(event.depth + 1)}${eventLine(event)}`);
    if (step.text !== 'emit') lines.push(`  -> [${step.outputNames.join(', ')}]`);
  }
  lines.push(`result: [${e.result.join(', ')}] = [${e.resultNames.join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

/** One line: each placed item with its path and retries, then the result. */
export function summarizeExplanation(e: Explanation): string {
  const placed = e.placements.map((p) => {
    const retries = p.retries === 0 ? '' : ` (${p.retries} ${p.retries === 1 ? 'retry' : 'retries'})`;
    return `${p.path.join('>')}${retries}`;
  });
  return `rule ${e.rule.id} x=${e.x}: ${placed.join('; ') || 'nothing placed'} => [${e.resultNames.join(', ')}]`;
}

function eventLine(event: ExplainedEvent): string {
  // Inside chooseleaf's leaf search C counts its own single replica, so rep is always 0 there.
  const who = event.kind !== 'draw' && event.depth > 0 ? 'leaf' : `rep ${'rep' in event ? event.rep : ''}`;
  switch (event.kind) {
    case 'draw':
      return `draw in ${event.bucketName} r=${event.r}: ${event.draws.map(drawText).join(', ')} -> ${event.chosenName}`;
    case 'accept':
      return `${who} try ${event.retry}: accept ${event.name}`;
    case 'collision':
      return `${who} try ${event.retry}: collision, ${event.name} is already chosen; retry`;
    case 'reject':
      return `${who} try ${event.retry}: reject ${event.name}, ${rejectReason(event.reason)}; retry`;
    case 'giveUp':
      return event.reason === 'deadEnd'
        ? `${who} try ${event.retry}: give up, the descent reached a device above the wanted type`
        : `${who}: give up after ${event.retry + 1} ${event.retry === 0 ? 'try' : 'tries'}`;
    case 'hole':
      return event.depth > 0 ? 'leaf: no usable device found' : `position ${event.rep}: nothing found, left as NONE`;
    default:
      return assertNever(event);
  }
}

function rejectReason(reason: 'out' | 'noLeaf' | 'emptyBucket'): string {
  if (reason === 'out') return 'the device is out (reweight)';
  if (reason === 'noLeaf') return 'no usable device under it';
  return 'the bucket is empty';
}

function drawText(d: ExplainedDraw): string {
  return `${d.name}(u=${d.u} draw=${d.draw ?? 'zero-weight'})`;
}
