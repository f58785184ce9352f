import { pino, type DestinationStream, type Logger, type LevelWithSilentOrString } from 'pino';

export type { Logger } from 'pino';

/** Field names that hold secrets wherever they appear in a log line (cloud keys, tokens, kubeconfigs). */
const SECRET_FIELDS = [
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'bearerToken',
  'apiKey',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'privateKey',
  'clientSecret',
  'authorization',
  'Authorization',
  'credentials',
  'kubeconfig',
] as const;

/** Redacted at the top level and two levels down, e.g. `token`, `provider.token`, `req.headers.authorization`. */
export const REDACTED_PATHS: readonly string[] = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export interface LoggerOptions {
  /** Default "info". */
  readonly level?: LevelWithSilentOrString;
  /** Default stdout; tests pass a stream that collects lines. */
  readonly destination?: DestinationStream;
  /** Fields every line carries. */
  readonly base?: Record<string, string | number>;
}

/** The one pino logger a process builds; everything else derives children from it. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // pino's default stdout destination writes synchronously, so the last lines before a crash are kept.
    options.destination,
  );
}
