import type { z } from 'zod';

/**
 * A cross-field rule stated once and enforced twice: by zod (standalone, file store, CLI)
 * and by the API server as a CEL `x-kubernetes-validations` entry. `fieldPath` uses the
 * CRD form (".maxCPU") and is also the path of the zod issue, so both report the same field.
 */
export interface CrossFieldRule<T> {
  readonly cel: string;
  readonly message: string;
  readonly fieldPath?: string;
  readonly holds: (value: T) => boolean;
}

export function withRules<S extends z.ZodType>(
  schema: S,
  description: string,
  rules: readonly CrossFieldRule<z.output<S>>[],
): S {
  const refined = schema.superRefine((value, ctx) => {
    for (const rule of rules) {
      if (!rule.holds(value)) {
        ctx.addIssue({ code: 'custom', message: rule.message, path: fieldPathSegments(rule.fieldPath) });
      }
    }
  });
  return refined.meta({
    description,
    'x-kubernetes-validations': rules.map((r) => ({
      rule: r.cel,
      message: r.message,
      ...(r.fieldPath === undefined ? {} : { fieldPath: r.fieldPath }),
    })),
  });
}

function fieldPathSegments(fieldPath: string | undefined): string[] {
  return fieldPath === undefined ? [] : fieldPath.split('.').filter((s) => s !== '');
}
