import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export interface BenchServer {
  port: number;
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts one of bench/servers/* in its own process and waits for the JSON line with its port. */
export function startServer(name: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchServer> {
  const file = path.join(__dirname, 'servers', `${name}.js`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const info = JSON.parse(line) as Record<string, unknown> & { port: number };
      resolve({
        port: info.port,
        info,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
  });
}
