/**
 * Service entry point (Docker, Fly, `npm run serve`): JSON logs, the HTTP server, the configured platforms and
 * the ticker, and a graceful shutdown on SIGTERM/SIGINT. `npm start` on a terminal runs src/main.ts instead.
 */
import type { PlatformAdapter } from './adapters/adapter.ts';
import { createDiscordAdapter } from './adapters/discord/discord-adapter.ts';
import { createDiscordHttpAdapter } from './adapters/discord/discord-http.ts';
import { createSlackAdapter } from './adapters/slack/slack-adapter.ts';
import { assertServiceDatabase, type Config, loadConfig } from './config/config.ts';
import { createLogger } from './config/logger.ts';
import { APP_VERSION } from './config/version.ts';
import { systemClock } from './core/clock.ts';
import type { Log } from './core/log.ts';
import type { Metrics } from './core/metrics.ts';
import { createDashboard, type Dashboard } from './dashboard/dashboard.ts';
import { trackOf } from './db/deps.ts';
import { type App, createApp } from './runtime/app.ts';
import { handleSignals, startService, type Ticker } from './runtime/service.ts';
import { releaseStartupGarbage } from './runtime/settle.ts';
import { startupFailure } from './runtime/startup-failure.ts';
import { createPrometheusMetrics } from './server/prometheus.ts';

/** What the platform adapters and the ticker are built from. */
export interface ServiceParts {
  config: Config;
  app: App;
  log: Log;
  metrics: Metrics;
}

/**
 * The Slack and Discord adapters for the platforms the config enables, and the scheduler's ticker.
 * With no platform configured the service still runs: health, metrics and the database, nothing to post to.
 */
function platformAdapters(parts: ServiceParts): PlatformAdapter[] {
  const { config, app, log, metrics } = parts;
  const adapters: PlatformAdapter[] = [];
  if (config.slack) {
    adapters.push(
      createSlackAdapter({
        config: config.slack,
        bot: app.bot,
        db: app.database.db,
        log,
        metrics,
        clock: systemClock,
      }),
    );
  }
  if (config.discord) {
    const { publicKey } = config.discord;
    const deps = { bot: app.bot, log, metrics, clock: systemClock };
    // DISCORD_PUBLIC_KEY set: interactions come to the Interactions Endpoint, and no gateway session opens.
    adapters.push(
      publicKey
        ? createDiscordHttpAdapter({ ...deps, config: { ...config.discord, publicKey } })
        : createDiscordAdapter({ ...deps, config: config.discord }),
    );
  }
  // The scheduler posts through whichever platforms run in this process.
  for (const adapter of adapters) app.publishers.set(adapter.platform, adapter.publisher);
  return adapters;
}

/** The managers' dashboard when DASHBOARD_URL is set; roles are asked of the running platforms. */
function dashboard(parts: ServiceParts, adapters: PlatformAdapter[]): Dashboard | undefined {
  const { config, app, log } = parts;
  if (!config.dashboard) return undefined;
  return createDashboard({
    study: app.study,
    config: config.dashboard,
    log: log.child({ module: 'dashboard' }),
    roles: async (user) =>
      adapters.find((a) => a.platform === user.platform)?.isPlatformAdmin?.(user.workspaceId, user.userId),
    onScheduleDue: () => {
      if (config.scheduler.enabled) app.ticker.kick();
    },
  });
}

function ticker(parts: ServiceParts): Ticker {
  return parts.app.ticker;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  assertServiceDatabase(config);
  const logger = createLogger(config);
  let app: App | undefined;
  const metrics = createPrometheusMetrics({ poolStats: () => app?.database.poolStats() });
  app = await createApp(config, { log: logger, clock: systemClock, metrics });
  const parts: ServiceParts = { config, app, log: logger, metrics };
  const adapters = platformAdapters(parts);
  const configured = [config.slack && 'slack', config.discord && 'discord'].filter(Boolean);
  if (configured.length > adapters.length)
    logger.warn(
      { configured, running: adapters.map((a) => a.platform) },
      'a configured platform is not wired in',
    );
  const scheduler = config.scheduler.enabled ? ticker(parts) : undefined;
  const web = dashboard(parts, adapters);
  const service = await startService({
    config,
    log: logger,
    app,
    adapters,
    ...(scheduler ? { ticker: scheduler } : {}),
    metrics,
    flushLogs: () => new Promise<void>((resolve) => logger.flush(() => resolve())),
    version: { app: APP_VERSION, content: trackOf(app.study).version },
    ...(web ? { dashboard: web } : {}),
  });
  // The content's parse is garbage now; return its pages instead of waiting for V8's memory reducer.
  logger.info(releaseStartupGarbage(), 'start-up garbage released');
  handleSignals(service, {
    log: logger,
    // The steps are bounded by the shutdown timeout; the extra second lets the last log lines out.
    hardTimeoutMs: config.shutdownTimeoutMs + 1000,
    exit: (code) => process.exit(code),
  });
}

main().catch((err: unknown) => {
  process.stderr.write(startupFailure(err));
  process.exit(1);
});
