import net from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that can hold the server's replies on demand, as a slow
 * database or network would: the only way to keep a real query in flight for as long as a test
 * needs. It forwards bytes untouched; it only looks into them for the markers it is given.
 */
export interface DelayingProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  url(databaseUrl: string): string;
  /**
   * Holds for `ms` the server's replies on the connection that next sends a message containing
   * `marker` (e.g. a fragment of one query's SQL). One shot: later messages pass at full speed.
   * Resolves when that message has passed, i.e. once the query is in flight.
   */
  holdNextReply(marker: string, ms: number): Promise<void>;
  /** Counts, from now on, the server-to-client chunks containing `text` (e.g. a NOTIFY's channel name). */
  watchServer(text: string): () => number;
  close(): Promise<void>;
}

interface Piped {
  client: net.Socket;
  server: net.Socket;
  heldUntil: number;
  held: Buffer[];
  timer?: NodeJS.Timeout;
  /** The end of the previous chunk each way, so a marker split across two chunks is still found. */
  tailUp: string;
  tailDown: string;
}

const TAIL = 256;

export async function startDelayingProxy(target: { host: string; port: number }): Promise<DelayingProxy> {
  const pipes = new Set<Piped>();
  let armed: { marker: string; ms: number; passed: () => void } | undefined;
  const watched = new Map<string, number>();

  const flush = (pipe: Piped) => {
    pipe.timer = undefined;
    const wait = pipe.heldUntil - Date.now();
    if (wait > 0) {
      pipe.timer = setTimeout(() => flush(pipe), wait);
      return;
    }
    for (const chunk of pipe.held.splice(0)) pipe.client.write(chunk);
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pipe: Piped = { client, server: upstream, heldUntil: 0, held: [], tailUp: '', tailDown: '' };
    pipes.add(pipe);
    const end = () => {
      pipes.delete(pipe);
      clearTimeout(pipe.timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);

    client.on('data', (chunk: Buffer) => {
      const text = pipe.tailUp + chunk.toString('latin1');
      pipe.tailUp = text.slice(-TAIL);
      if (armed && text.includes(armed.marker)) {
        // Set before the message is forwarded, so its reply cannot slip past.
        pipe.heldUntil = Date.now() + armed.ms;
        const { passed } = armed;
        armed = undefined;
        upstream.write(chunk, () => passed());
        return;
      }
      upstream.write(chunk);
    });

    upstream.on('data', (chunk: Buffer) => {
      const text = pipe.tailDown + chunk.toString('latin1');
      pipe.tailDown = text.slice(-TAIL);
      for (const [watch, count] of watched) if (text.includes(watch)) watched.set(watch, count + 1);
      if (pipe.held.length > 0 || Date.now() < pipe.heldUntil) {
        pipe.held.push(chunk);
        pipe.timer ??= setTimeout(() => flush(pipe), Math.max(0, pipe.heldUntil - Date.now()));
        return;
      }
      client.write(chunk);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    holdNextReply(marker, ms) {
      return new Promise<void>((passed) => {
        armed = { marker, ms, passed };
      });
    },
    watchServer(text) {
      if (!watched.has(text)) watched.set(text, 0);
      const from = watched.get(text)!;
      return () => watched.get(text)! - from;
    },
    async close() {
      armed = undefined;
      for (const pipe of pipes) {
        clearTimeout(pipe.timer);
        pipe.client.destroy();
        pipe.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
