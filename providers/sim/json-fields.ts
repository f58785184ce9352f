/** A sim file that is not what the sim wrote or documents: names the file, the field and what is wrong. */
export class SimFileError extends Error {
  constructor(readonly file: string, readonly field: string, problem: string, options?: ErrorOptions) {
    super(`${file}: ${field === '' ? '' : `${field}: `}${problem}`, options);
    this.name = 'SimFileError';
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Reads typed fields out of parsed JSON with errors that say where: the sim's files are written by
 * other processes and by hand, and providers/ parses them without a schema library.
 */
export class JsonFields {
  constructor(readonly file: string, readonly path: string, private readonly obj: JsonObject) {}

  static parse(file: string, text: string): JsonFields {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new SimFileError(file, '', `not valid JSON (${(e as Error).message})`);
    }
    return JsonFields.of(file, '', value);
  }

  static of(file: string, path: string, value: unknown): JsonFields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SimFileError(file, path, `must be an object, got ${describe(value)}`);
    }
    return new JsonFields(file, path, value as JsonObject);
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string' || v === '') throw this.fail(key, 'a non-empty string', v);
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.obj[key] === undefined ? undefined : this.string(key);
  }

  number(key: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      throw this.fail(key, `a number from ${min} to ${max}`, v);
    }
    return v;
  }

  optionalNumber(key: string, min?: number, max?: number): number | undefined {
    return this.obj[key] === undefined ? undefined : this.number(key, min, max);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.obj[key];
    const found = allowed.find((a) => a === v);
    if (found === undefined) throw this.fail(key, `one of ${allowed.join(', ')}`, v);
    return found;
  }

  strings(key: string): string[] {
    return this.array(key).map((v, i) => {
      if (typeof v !== 'string' || v === '') throw this.fail(`${key}[${i}]`, 'a non-empty string', v);
      return v;
    });
  }

  optionalStrings(key: string): string[] | undefined {
    return this.obj[key] === undefined ? undefined : this.strings(key);
  }

  objects(key: string): JsonFields[] {
    return this.array(key).map((v, i) => JsonFields.of(this.file, this.at(`${key}[${i}]`), v));
  }

  optionalObject(key: string): JsonFields | undefined {
    const v = this.obj[key];
    return v === undefined ? undefined : JsonFields.of(this.file, this.at(key), v);
  }

  stringMap(key: string): Record<string, string> {
    const fields = JsonFields.of(this.file, this.at(key), this.obj[key]);
    return Object.fromEntries(Object.keys(fields.obj).map((k) => [k, fields.string(k)]));
  }

  fail(key: string, expected: string, got: unknown): SimFileError {
    return new SimFileError(this.file, this.at(key), `must be ${expected}, got ${describe(got)}`);
  }

  private array(key: string): unknown[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) throw this.fail(key, 'an array', v);
    return v;
  }

  private at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 80);
}
