import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AppendingProxy {
  /** Base URL clients call, as `http://host:port` (IPv6 hosts in brackets). */
  url: string;
  close(): Promise<void>;
}

export interface AppendingProxyOptions {
  /** Where Keygate (or the next proxy) listens, e.g. `http://127.0.0.1:8080`. */
  target: string;
  /** The address this proxy listens on (default 127.0.0.1; `::` for dual stack, `::1` for IPv6). */
  host?: string;
  /** The local address it connects to the target from (any 127.x.y.z works on Linux's loopback). */
  localAddress?: string;
}

/**
 * A reverse proxy in front of Keygate that does what nginx's `$proxy_add_x_forwarded_for` does:
 * it keeps whatever X-Forwarded-For the client sent (the client may have written it) and appends
 * the address of the socket the request came in on, which the client cannot choose.
 */
export async function startAppendingProxy(options: AppendingProxyOptions): Promise<AppendingProxy> {
  const target = new URL(options.target);
  const server = http.createServer((req, res) => {
    const peer = req.socket.remoteAddress ?? '';
    // Node joins repeated X-Forwarded-For headers with ", ", as nginx does.
    const given = req.headers['x-forwarded-for'];
    const headers = { ...req.headers, 'x-forwarded-for': given ? `${given}, ${peer}` : peer };
    const upstream = http.request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        localAddress: options.localAddress,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const shown = host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
