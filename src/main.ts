// First: tracing (when OTEL_* asks for it) must patch http, undici and pg before anything loads them.
import { stopTracing } from './tracing/register';
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { createLogger } from './logging/logger';
import { explainStartupFailure } from './logging/startup-failure';
import { type App, createApp } from './server/create-app';
import { GatewayConfigError } from './upstreams/gateway-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedDatabase | undefined;
  let app: App | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    try {
      await app?.close();
      await embedded?.stop();
      await stopTracing();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Re-reads KEYGATE_CONFIG and the upstream schemas; a bad new config keeps the running one.
  // A signal during start-up is kept for when the gateway is up: start-up may have read the file before it changed.
  let reloadWhenStarted = false;
  process.on('SIGHUP', () => {
    if (app?.gateway) void app.gateway.reload();
    else if (!app && config.gatewayConfigFile) reloadWhenStarted = true;
    else logger.info('SIGHUP ignored: no KEYGATE_CONFIG to reload');
  });

  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(config.dataDir, logger);
      databaseUrl = embedded.url;
    }
    app = await createApp({
      config,
      databaseUrl,
      logger,
      onGeneratedAdmin: (email, password) => {
        // Printed once, straight to the terminal rather than into the structured log.
        process.stdout.write(
          `\n  No admin was configured, so one was created:\n    email:    ${email}\n    password: ${password}\n  Keep it now: it is not shown again. Set ADMIN_EMAIL/ADMIN_PASSWORD to choose your own.\n\n`,
        );
      },
    });
    logger.info({ url: `${app.url}/graphql`, embeddedDatabase: Boolean(embedded) }, 'Keygate is ready');
    if (reloadWhenStarted) void app.gateway?.reload();
  } catch (err) {
    // One line, whatever LOG_LEVEL says (even silent): the reason and what to do. A bad
    // KEYGATE_CONFIG (or upstream) names the path inside the file, with no stack.
    const reason =
      err instanceof GatewayConfigError
        ? undefined
        : explainStartupFailure(err, { dataDir: config.dataDir, port: config.port, host: config.host, embedded: !config.databaseUrl && !embedded });
    logger.debug({ err }, 'start-up failed');
    process.stderr.write(reason === undefined ? `Invalid gateway configuration: ${(err as Error).message}\n` : `Keygate could not start: ${reason}\n`);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
