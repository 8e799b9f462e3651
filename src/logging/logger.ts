import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { serializeError } from './error-serializer';

export type { Logger };

/** Every place a secret can sit in a log record; pino replaces them before serialising. */
const REDACT_PATHS = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'key',
  '*.key',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'jwtSecret',
  '*.jwtSecret',
  'databaseUrl',
  '*.databaseUrl',
  'redisUrl',
  '*.redisUrl',
  'req.headers.authorization',
  'req.headers["x-client-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-client-key"]',
  'err.parameters',
  'variables',
  '*.variables',
];

/**
 * JSON lines (pino) for log collectors; readable, coloured lines when a person watches a terminal.
 * `prettyLines` defaults to whether stdout is a terminal (when logging to stdout).
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  prettyLines = destination === undefined && process.stdout.isTTY === true,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'keygate' },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    // Database errors through an allowlist of fields (never `where`, `detail` or parameters).
    serializers: { err: serializeError, error: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!prettyLines) return pino(options, destination);
  // In-process (not a worker transport), so the last lines before an exit are never lost.
  const stream = pretty({
    destination: destination ?? 1,
    sync: true,
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
  return pino(options, stream);
}
