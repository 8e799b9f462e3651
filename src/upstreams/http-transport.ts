import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** Thrown for any transport failure (refused, reset, timed out), so the executor can tell it from an upstream's GraphQL error. */
export class TransportFailure extends Error {
  override name = 'UpstreamTransportFailure';
}

/** The part of a fetch Response that graphql-tools' HTTP executor reads for a JSON answer. */
export interface SmallResponse {
  status: number;
  statusText: string;
  ok: boolean;
  headers: { get(name: string): string | null; entries(): IterableIterator<[string, string]> };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

function headersOf(raw: IncomingHttpHeaders): SmallResponse['headers'] {
  return {
    get: (name) => {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    entries: () => Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)] as [string, string])[Symbol.iterator](),
  };
}

/**
 * POSTs to an upstream with node:http on keep-alive connections. It stands in for fetch under
 * graphql-tools' HTTP executor: Node's built-in fetch (undici with web streams) costs several
 * times the CPU per request for these small JSON exchanges. Headers and body leave in one write.
 */
export class HttpTransport {
  private readonly agent: http.Agent;
  private readonly client: typeof http | typeof https;

  constructor(url: string) {
    const secure = new URL(url).protocol === 'https:';
    this.client = secure ? https : http;
    this.agent = new this.client.Agent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' });
  }

  send(url: string, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<SmallResponse> {
    return new Promise((resolve, reject) => {
      const outgoing: Record<string, string | number> = { ...headers };
      if (body !== undefined) outgoing['content-length'] = Buffer.byteLength(body);
      const req = this.client.request(url, { method, headers: outgoing, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => fail(err));
        res.on('end', () => {
          clearTimeout(timer);
          const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          resolve({
            status,
            statusText: res.statusMessage ?? '',
            ok: status >= 200 && status < 300,
            headers: headersOf(res.headers),
            text: () => Promise.resolve(text),
            json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
          });
        });
      });
      const fail = (err: Error) => {
        clearTimeout(timer);
        req.destroy();
        reject(err instanceof TransportFailure ? err : new TransportFailure(err.message));
      };
      // Covers connecting, sending and the whole answer: a slow body times out too.
      const timer = setTimeout(() => fail(new TransportFailure(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', fail);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
