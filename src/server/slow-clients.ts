import type { ServerOptions } from 'node:http';
import type { Config } from '../config/config';

/**
 * Node keeps a request whose body stalls open for 300 s by default, and checks its deadlines
 * only every 30 s: a few slow clients could hold sockets and memory for minutes. Headers must
 * arrive within HTTP_HEADERS_TIMEOUT_MS and the whole request within HTTP_REQUEST_TIMEOUT_MS
 * (30 s by default); Node then answers 408 and closes the connection.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function slowClientTimeouts(config: Pick<Config, 'http'>): ServerOptions {
  const { requestTimeoutMs, headersTimeoutMs } = config.http;
  return {
    requestTimeout: requestTimeoutMs,
    // Node refuses a headers deadline later than the request's.
    headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
    // Deadlines are checked on this period: it bounds how late past them a connection is closed.
    connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    // An idle keep-alive connection is closed by the client first: Node's 5 s default lets a busy
    // process close a connection just as its client sends the next request on it (ECONNRESET),
    // and sits below the 60 s idle timeout of common load balancers, which then see the same race.
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  };
}
