import type { IncomingMessage, ServerResponse } from 'node:http';
import { logAccess, willLogAccess } from '../logging/access-log';
import type { Logger } from '../logging/logger';
import { requestRecord } from '../logging/request-record';
import type { Metrics } from '../metrics/metrics';
import { ConsoleAssets } from './console';
import type { MetricsAccess } from './metrics-access';
import { PLAYGROUND_ASSET_PREFIX, type Playground } from './playground/playground';
import { sendJson, sendRequestError } from './send';

export interface Routes {
  graphql(req: IncomingMessage, res: ServerResponse, search: string): Promise<void>;
  playground: Playground;
  /** Whether the database answers; /readyz turns it into 200 or 503. */
  isReady(): Promise<boolean>;
  /** Redis is configured but away: the instance still serves (budgets per instance), and /readyz says so. */
  isDegraded?: () => boolean;
  metrics: Metrics;
  /** Who may read /metrics (METRICS_TOKEN); open when omitted. */
  metricsAccess?: (req: IncomingMessage) => MetricsAccess;
  logger: Logger;
  /** The public keys that verify x-keygate-identity (only when upstreams are configured). */
  jwks?: () => object;
  /** The web console at /console (defaults to the built folder, dist/console). */
  console?: ConsoleAssets;
  /** Answers CORS preflights and marks responses for allowed origins (see cors.ts); true when it answered. */
  cors?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** The caller's address as TRUST_PROXY decides it (client-address.ts), for the access log. */
  clientAddress?: (req: IncomingMessage) => string;
}

function routeOf(pathname: string): string {
  if (pathname === '/graphql') return 'graphql';
  if (pathname.startsWith(PLAYGROUND_ASSET_PREFIX)) return 'playground';
  if (pathname === '/.well-known/jwks.json') return 'jwks';
  if (ConsoleAssets.matches(pathname)) return 'console';
  if (pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics') return pathname.slice(1);
  return 'other';
}

export function createRequestListener(routes: Routes) {
  const { metrics, logger } = routes;
  // Each child resolved once: a lookup by label values on every request would cost what the tallies save.
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(value: number): void }>();
  const countRequest = (route: string, status: number) => {
    const id = `${route} ${status}`;
    let counter = counters.get(id);
    if (!counter) counters.set(id, (counter = metrics.httpRequestTallies.child({ route, status: String(status) })));
    counter.inc();
  };
  const timeRequest = (route: string, seconds: number) => {
    let timer = timers.get(route);
    if (!timer) timers.set(route, (timer = metrics.httpDuration.labels(route)));
    timer.observe(seconds);
  };
  const consoleAssets = routes.console ?? new ConsoleAssets();

  async function dispatch(req: IncomingMessage, res: ServerResponse, route: string, pathname: string, search: string) {
    switch (route) {
      case 'graphql':
        if (routes.playground.wantsPage(req, search)) return routes.playground.servePage(res);
        return routes.graphql(req, res, search);
      case 'playground':
        if (!routes.playground.serveAsset(pathname, res)) sendRequestError(res, 404, 'NOT_FOUND', 'No such playground asset');
        return;
      case 'console':
        return consoleAssets.serve(req, res, pathname);
      case 'healthz':
        return sendJson(res, 200, { status: 'ok' });
      case 'readyz': {
        const ready = await routes.isReady();
        if (!ready) return sendJson(res, 503, { status: 'database unavailable' });
        // Still 200: taking the instance out of a load balancer would not bring Redis back.
        if (routes.isDegraded?.()) return sendJson(res, 200, { status: 'degraded', redis: 'unavailable' });
        return sendJson(res, 200, { status: 'ok' });
      }
      case 'metrics': {
        const access = routes.metricsAccess?.(req) ?? 'allow';
        if (access === 'hidden') return sendRequestError(res, 404, 'NOT_FOUND', 'Not found');
        if (access === 'unauthorized') {
          res.setHeader('www-authenticate', 'Bearer realm="metrics"');
          return sendRequestError(res, 401, 'UNAUTHENTICATED', 'Metrics need Authorization: Bearer <METRICS_TOKEN>');
        }
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(body);
        return;
      }
      case 'jwks':
        if (!routes.jwks) return sendRequestError(res, 404, 'NOT_FOUND', 'No identity keys: no upstreams are configured');
        return sendJson(res, 200, routes.jwks(), { 'cache-control': 'public, max-age=300' });
      default:
        sendRequestError(res, 404, 'NOT_FOUND', 'Not found: Keygate serves /graphql, /healthz, /readyz and /metrics');
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    // Read now, while the socket is open; only when an access line can be written at all.
    if (routes.clientAddress && logger.isLevelEnabled('warn')) requestRecord(req).ip = routes.clientAddress(req);
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const search = queryAt === -1 ? '' : url.slice(queryAt);
    const route = routeOf(pathname);

    // 'close' comes for every request, also one whose client went away before the answer. The line
    // waits a turn of the event loop so the handler has finished noting caller and operation.
    // One listener per request: the metrics count only answers that were sent whole.
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const aborted = !res.writableFinished;
      if (!aborted) {
        countRequest(route, res.statusCode);
        timeRequest(route, ms / 1e3);
      }
      // Only scheduled when the logger's level would write it (LOG_LEVEL=warn or silent writes no access lines).
      if (willLogAccess(logger, res.statusCode)) setImmediate(() => logAccess(logger, req, pathname, res.statusCode, ms, aborted));
    });

    // Before any route: a preflight must not reach the GraphQL handler's CSRF refusal.
    if (routes.cors?.(req, res)) return;
    dispatch(req, res, route, pathname, search).catch((err: unknown) => {
      // A client that went away (or was cut off by the slow-client timeouts) mid-body is not our failure.
      if ((err as { code?: unknown })?.code === 'ECONNRESET' && req.socket.destroyed) {
        logger.debug({ path: pathname }, 'client closed the connection before its request was read');
        return;
      }
      logger.error({ err, path: pathname }, 'unhandled error while serving a request');
      if (!res.headersSent) sendRequestError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };
}
