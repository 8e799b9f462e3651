import fs from 'node:fs';
import path from 'node:path';

export interface StartupSituation {
  dataDir: string;
  port: number;
  host: string;
  /** Whether it failed while starting its own PostgreSQL in DATA_DIR (no DATABASE_URL). */
  embedded: boolean;
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  address?: unknown;
  port?: unknown;
}

/** The process named by PostgreSQL's lock file, if that process is alive. */
function livePostmaster(dataDir: string): string | undefined {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pidFile;
  } catch (err) {
    // EPERM: alive, but another user's (PostgreSQL runs as `postgres` when Keygate runs as root).
    return (err as ErrorLike).code === 'EPERM' ? pidFile : undefined;
  }
}

/**
 * One line saying why start-up failed and what to do about it. Never includes a connection
 * string (it holds a password): only codes, host and port, and paths.
 */
export function explainStartupFailure(err: unknown, at: StartupSituation): string {
  const e = (err ?? {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0] : String(err);

  if (at.embedded) {
    const pidFile = livePostmaster(at.dataDir);
    if (pidFile) return `another Keygate is using DATA_DIR's PostgreSQL (${pidFile}); stop it or choose another DATA_DIR`;
  }
  if (code === 'EADDRINUSE') return `port ${at.port} on ${at.host} is already in use; stop what is using it or choose another PORT`;
  if (code === 'EACCES' && typeof e.port === 'number') return `not allowed to listen on port ${at.port}; choose a PORT above 1023`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `cannot write to DATA_DIR (${at.dataDir}): ${code}; make it writable or choose another DATA_DIR`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    const where = typeof e.address === 'string' ? `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}` : 'the DATABASE_URL host';
    return `cannot reach PostgreSQL at ${where} (${code}); start it or fix DATABASE_URL`;
  }
  // PostgreSQL's SQLSTATEs for a wrong password / user and a missing database.
  if (code === '28P01' || code === '28000') return 'PostgreSQL refused the user or password in DATABASE_URL; fix DATABASE_URL';
  if (code === '3D000') return `the database in DATABASE_URL does not exist (${message}); create it or fix DATABASE_URL`;
  return `${message}${code ? ` (${code})` : ''}; run with LOG_LEVEL=debug for details`;
}
