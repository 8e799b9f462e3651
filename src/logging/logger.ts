import pino, { type Logger } from 'pino';
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'keygate' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      // Database errors through an allowlist of fields (never `where`, `detail` or parameters).
      serializers: { err: serializeError, error: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
