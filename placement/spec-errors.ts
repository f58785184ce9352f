// What can be wrong with a placement spec handed to the compiler, each naming the field.

export type SpecProblem =
  | { readonly kind: 'levels'; readonly where: string; readonly detail: string }
  | { readonly kind: 'groupSize'; readonly where: string; readonly detail: string }
  | { readonly kind: 'leafPath'; readonly where: string; readonly detail: string }
  | { readonly kind: 'leafWeight'; readonly where: string; readonly detail: string }
  | { readonly kind: 'step'; readonly where: string; readonly detail: string };

export class PlacementSpecError extends Error {
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const lines = problems.map((p) => `  - ${p.where}: ${p.detail}`);
    super(`invalid placement spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'PlacementSpecError';
    this.problems = problems;
  }
}
