import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface BenchServer {
  port: number;
  /** The server's process id, for reading its CPU time from /proc. */
  pid: number;
  info: Record<string, unknown>;
  /** Heap in use after a full GC, for servers that answer SIGUSR2 (bench/servers/keygate). */
  heapAfterGc(): Promise<number>;
  /** Milliseconds the server has spent in garbage collection so far (bench/gc-observer.ts). */
  gcMs(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The Node flags Keygate runs with, in `npm start` and the Dockerfile's NODE_OPTIONS alike (test/package/node-flags.test.ts
 * checks they agree). A 64 MiB semi-space: V8's default of 16 MiB filled every ~45 ms under load, and each
 * scavenge's helper threads took the main thread's core; with it Keygate used about 5% less CPU per request
 * and, loaded beside another process, stopped losing a third of its time on the run queue.
 */
export const KEYGATE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/**
 * Starts one of bench/servers/* (or the built server file at an absolute path) in its own process and waits for the JSON line with its port.
 * Keygate's servers (`keygate*`) run with KEYGATE_NODE_FLAGS, as deployed; the others with Node's defaults
 * unless `nodeArgs` says otherwise.
 */
export function startServer(name: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchServer> {
  // An absolute path names a server built elsewhere (an older build of Keygate, bench/budgets.ts).
  const file = path.isAbsolute(name) ? name : path.join(__dirname, 'servers', `${name}.js`);
  if (path.basename(name).startsWith('keygate')) nodeArgs = [...KEYGATE_NODE_FLAGS, ...nodeArgs];
  // Every server runs as deployed (Keygate's Dockerfile sets NODE_ENV=production): graphql-js and
  // Apollo Server skip their development-time checks there, for Keygate and the others alike.
  const child: ChildProcess = spawn(process.execPath, ['--require', path.join(__dirname, 'gc-observer.js'), ...nodeArgs, file], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let started = false;
    const heapWaiters: Array<(bytes: number) => void> = [];
    const gcWaiters: Array<(ms: number) => void> = [];
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const message = JSON.parse(line) as Record<string, unknown>;
        if (typeof message.heapUsed === 'number') heapWaiters.shift()?.(message.heapUsed);
        else if (typeof message.gcMs === 'number') gcWaiters.shift()?.(message.gcMs);
        else if (!started) {
          started = true;
          onStarted(message as Record<string, unknown> & { port: number });
        }
      }
    });
    const onStarted = (info: Record<string, unknown> & { port: number }) =>
      resolve({
        port: info.port,
        pid: child.pid!,
        info,
        heapAfterGc: () =>
          new Promise<number>((done) => {
            heapWaiters.push(done);
            child.kill('SIGUSR2');
          }),
        gcMs: () =>
          new Promise<number>((done) => {
            gcWaiters.push(done);
            child.kill('SIGHUP');
          }),
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

/** A process's CPU seconds so far (user + system, all its threads), from /proc; NaN where there is no /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
