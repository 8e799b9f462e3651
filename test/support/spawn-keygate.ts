import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface RunningKeygate {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Signals the whole process group and resolves with the exit code of the command. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a fresh shell: none of the test run's database settings leak in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'JWT_SECRET', 'PORT', 'DATA_DIR', 'NODE_ENV']) delete env[name];
  return { ...env, ...extra };
}

/** Resolves once the command and every process sharing its output (npm's child) are gone. */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null && child.stdout?.readableEnded) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

/** Runs `command` (e.g. `npm start`) and waits until Keygate logs that it is ready. */
export async function startKeygate(command: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<RunningKeygate> {
  const port = env.PORT ?? String(await freePort());
  // Its own process group, so a signal reaches Keygate itself and not only the npm wrapper.
  const child = spawn(command[0], command.slice(1), {
    cwd: REPO_ROOT,
    env: cleanEnv({ ...env, PORT: port }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Keygate did not start in ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
    const check = () => {
      if (out.includes('Keygate is ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Keygate exited with ${code} before it was ready:\n${out}\n${err}`));
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    stop: (signal = 'SIGTERM') => {
      const exited = exitOf(child);
      process.kill(-child.pid!, signal);
      return exited;
    },
    kill: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
