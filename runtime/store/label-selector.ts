/**
 * Kubernetes label selectors in their string form: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, joined by commas. Parsed once, matched many times.
 */
export type LabelRequirement =
  | { readonly op: 'in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists'; readonly key: string }
  | { readonly op: 'doesNotExist'; readonly key: string };

export type LabelSelector = readonly LabelRequirement[];

export class LabelSelectorError extends Error {
  constructor(selector: string, detail: string) {
    super(`invalid label selector ${JSON.stringify(selector)}: ${detail}`);
    this.name = 'LabelSelectorError';
  }
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^()]*)\)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

export function parseLabelSelector(selector: string): LabelSelector {
  return splitTerms(selector).map((term) => parseTerm(selector, term));
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '' || terms.length > 0) terms.push(current.trim());
  return terms;
}

function parseTerm(selector: string, term: string): LabelRequirement {
  const eq = EQUALITY.exec(term);
  if (eq?.[1] !== undefined) {
    const values = [eq[4] ?? ''];
    return eq[3] === '!=' ? { op: 'notin', key: eq[1], values } : { op: 'in', key: eq[1], values };
  }
  const set = SET.exec(term);
  if (set?.[1] !== undefined) {
    const values = (set[4] ?? '').split(',').map((v) => v.trim());
    if (values.some((v) => !new RegExp(`^${VALUE}$`).test(v))) throw new LabelSelectorError(selector, `bad value in "${term}"`);
    return { op: set[3] === 'in' ? 'in' : 'notin', key: set[1], values };
  }
  const ex = EXISTS.exec(term);
  if (ex?.[2] !== undefined) return ex[1] === '!' ? { op: 'doesNotExist', key: ex[2] } : { op: 'exists', key: ex[2] };
  throw new LabelSelectorError(selector, `cannot parse "${term}"`);
}

export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((req) => {
    const value = l[req.key];
    switch (req.op) {
      case 'in':
        return value !== undefined && req.values.includes(value);
      case 'notin':
        return value === undefined || !req.values.includes(value);
      case 'exists':
        return value !== undefined;
      case 'doesNotExist':
        return value === undefined;
    }
  });
}

/** `{a: "1", b: "2"}` → `"a=1,b=2"`, the selector a NodePool reports for its Machines. */
export function selectorFromLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
