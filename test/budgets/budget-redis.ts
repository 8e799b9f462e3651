import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from '../support/spawn-keygate';
import { until } from '../support/wait';

/** A Redis client as Keygate's (no offline queue: a command to a Redis that is away fails at once). */
export async function connect(url: string, options: { offlineQueue?: boolean } = {}): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: options.offlineQueue ?? false, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  await until('Redis is connected', () => redis.status === 'ready');
  return redis;
}

/** A key prefix of this test's own on the shared Redis, and a way to delete what it left. */
export function testPrefix(): string {
  return `keygate:test:budget:${randomBytes(6).toString('hex')}:`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A test's own redis-server, which it can freeze (SIGSTOP), thaw, and restart empty on the same port. */
export class OwnRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis | undefined> {
    const own = new OwnRedis(await freePort());
    try {
      await own.restart();
    } catch {
      return undefined;
    }
    return own;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server (SIGKILL: no save) and starts an empty one on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until('redis-server answers', () => this.answers(), 5_000);
  }

  private async answers(): Promise<boolean> {
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    });
  }
}
