import { effectiveSteps, Reason } from '../../api/index.js';
import type { PlacementRuleSpec } from '../../api/index.js';
import { compilePlacement, CrushMapError, PlacementSpecError } from '../../placement/index.js';
import type { CompiledPlacement, LeafDomain } from '../../placement/index.js';
import { checkLevels, UnsupportedLevelError } from './leaves.js';

export type RuleCompilation =
  | { readonly kind: 'compiled'; readonly placement: CompiledPlacement }
  | { readonly kind: 'invalid'; readonly reason: typeof Reason.UnsupportedLevel | typeof Reason.ConstraintError; readonly message: string };

/**
 * Compiles the rule over `leaves`, turning the errors a user can fix in the spec (an unsupported
 * level, a bad step, a bucket the hierarchy lacks, a weight overflow) into a reason and message.
 * Anything else is a bug and is thrown.
 */
export function compileRule(spec: PlacementRuleSpec, leaves: readonly LeafDomain[]): RuleCompilation {
  try {
    checkLevels(spec.failureDomains);
    const placement = compilePlacement({ levels: spec.failureDomains, groupSize: spec.groupSize, steps: effectiveSteps(spec), leaves });
    return { kind: 'compiled', placement };
  } catch (err) {
    if (err instanceof UnsupportedLevelError) return { kind: 'invalid', reason: Reason.UnsupportedLevel, message: err.message };
    if (err instanceof PlacementSpecError || err instanceof CrushMapError) return { kind: 'invalid', reason: Reason.ConstraintError, message: oneLine(err.message) };
    throw err;
  }
}

/** The compiler lists problems one per line; a condition message reads better on one. */
function oneLine(message: string): string {
  return message.replace(/:\n\s*- /, ': ').replace(/\n\s*- /g, '; ').replace(/\s*\n\s*/g, ' ');
}

const SYNTHETIC = 'synthetic';

/**
 * Leaves that let a rule no pool uses be checked on its own: one made-up domain per level, plus
 * every bucket its take/use steps name, extended down to a leaf, so only a real mistake (a bad
 * step, a bucket deeper than the levels) fails.
 */
export function syntheticLeaves(spec: PlacementRuleSpec): LeafDomain[] {
  const depth = spec.failureDomains.length;
  const named = effectiveSteps(spec).flatMap((s) => ((s.op === 'take' || s.op === 'use') && s.bucket !== undefined && s.bucket !== 'root' ? [s.bucket.split('/')] : []));
  const paths = [[], ...named]
    .filter((segments) => segments.length <= depth && segments.every((s) => s !== ''))
    .map((segments) => [...segments, ...spec.failureDomains.slice(segments.length).map((level) => `${SYNTHETIC}-${level}`)].join('/'));
  return [...new Set(paths)].sort().map((path) => ({ path, weight: 1 }));
}
