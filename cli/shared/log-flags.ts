import { pino } from 'pino';
import { createLogger, LOG_FORMATS, type LogFormat, type Logger } from '../../runtime/log.js';
import { UsageError } from './usage-error.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** --log-level and --log-format, with a command's defaults. */
export function logOptions(level: (typeof LOG_LEVELS)[number], format: LogFormat) {
  return { 'log-level': { type: 'string', default: level }, 'log-format': { type: 'string', default: format } } as const;
}

/** The two flags' help lines; `where` says where the lines go, e.g. "on stderr". */
export function logFlagsHelp(level: string, format: LogFormat, where: string, pad = 22): string {
  const flag = (name: string) => `  ${name.padEnd(pad)}`;
  return [
    `${flag('--log-level LEVEL')}logs ${where}: ${LOG_LEVELS.join(', ')} (default ${level})`,
    `${flag('--log-format FORMAT')}text: one readable line each (time, level, message, fields, the error's`,
    `${' '.repeat(pad + 2)}message); json: one JSON object each, errors with their stack (default ${format})`,
  ].join('\n');
}

/** The flags' values checked: a UsageError names a bad one. */
export function logFlags(values: { readonly 'log-level': string; readonly 'log-format': string }): { level: string; format: LogFormat } {
  const level = values['log-level'];
  const format = values['log-format'];
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  if (!(LOG_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  return { level, format: format as LogFormat };
}

/** The logger of a standalone command: its lines on stderr (stdout is the command's output). */
export function stderrLogger(flags: { level: string; format: LogFormat }): Logger {
  return createLogger({ level: flags.level, format: flags.format, destination: pino.destination(2) });
}
