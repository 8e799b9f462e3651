import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './spawn-keygate';
import { sleep } from './test-app';

/** Tests that share Redis use REDIS_URL (CI sets it); without it they are skipped, and say so. */
export function sharedRedisUrl(suite: string): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url) console.warn(`[keygate tests] SKIPPED ${suite}: REDIS_URL is not set`);
  return url;
}

/** A test's own Redis server, so it can be stopped mid-run without disturbing other tests. */
export async function startOwnRedis(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      await sleep(100);
    } finally {
      probe.disconnect();
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Removes this test's rate-limit counters from a shared Redis. */
export async function clearRateLimits(url: string, keyIds: string[]): Promise<void> {
  const redis = new Redis(url);
  try {
    if (keyIds.length) await redis.del(...keyIds.map((id) => `keygate:rl:key:${id}`));
  } finally {
    redis.disconnect();
  }
}
