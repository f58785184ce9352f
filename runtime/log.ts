import { pino, type DestinationStream, type Logger, type LevelWithSilentOrString } from 'pino';
import { textDestination } from './log-text.js';

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

/** How lines are written: JSON objects (a pod's logs, for a collector), or one readable line each (a terminal). */
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** Default "info". */
  readonly level?: LevelWithSilentOrString;
  /** Default "json": structured, errors with their stack. "text": runtime/log-text.ts. */
  readonly format?: LogFormat;
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
    options.format === 'text' ? textDestination(options.destination ?? pino.destination(1)) : options.destination,
  );
}
