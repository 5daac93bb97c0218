/** Wires the application from a config: content, database (migrated), study domain and the bot core. */
import { platformAdminDescriptions } from '../adapters/platform-admins.ts';
import { type Bot, createBot } from '../bot/bot.ts';
import { createStudyService, type StudyService } from '../bot/study-service.ts';
import { type Config, describeDatabase } from '../config/config.ts';
import { APP_VERSION } from '../config/version.ts';
import { loadTrack } from '../content/load.ts';
import type { Track } from '../content/track.ts';
import type { Clock } from '../core/clock.ts';
import type { ScheduledJob } from '../core/jobs.ts';
import type { Log } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Publisher } from '../core/outbound.ts';
import type { Platform } from '../core/types.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createDispatcher } from '../deliveries/dispatcher.ts';
import { createLiveCounts, type LiveCounts } from '../deliveries/live-counts.ts';
import { createTicker, everySeconds, type Ticker } from '../scheduler/ticker.ts';

export interface App {
  config: Config;
  database: DatabaseHandle;
  tracks: Map<string, Track>;
  study: StudyService;
  bot: Bot;
  /** Periodic jobs (weekly digests, streak reminders) for the scheduler's ticker to run each minute. */
  jobs: ScheduledJob[];
  /** Each platform's publisher, registered by its adapter once created; the scheduler posts through them. */
  publishers: Map<Platform, Publisher>;
  /** Posts due drills, reveals, and runs the jobs; started by the service when SCHEDULER=on. */
  ticker: Ticker;
  /** Coalesced updates of the answer count on posted drills. */
  live: LiveCounts;
  close(): Promise<void>;
}

export async function createApp(
  config: Config,
  deps: { log: Log; clock: Clock; metrics?: Metrics },
): Promise<App> {
  const track = loadTrack(config.contentDir, config.defaultTrack);
  const tracks = new Map([[track.id, track]]);
  deps.log.info(
    {
      track: track.id,
      modules: track.modules.length,
      cards: track.cards.length,
      contentVersion: track.version,
    },
    'content loaded',
  );

  const database = openDatabase(config.database, deps.log.child({ module: 'database' }));
  try {
    const applied = await migrateToLatest(database.db, deps.log);
    deps.log.info({ database: describeDatabase(config), applied: applied.length }, 'database ready');
  } catch (err) {
    await database.close();
    throw err;
  }
  const study = createStudyService({
    db: database.db,
    tracks,
    defaultTrackId: track.id,
    defaultTimezone: config.defaultTimezone,
    clock: deps.clock,
    log: deps.log.child({ module: 'study' }),
  });
  const publishers = new Map<Platform, Publisher>();
  const live = createLiveCounts({ ...study.deps, publishers });
  const dispatcher = createDispatcher(
    {
      ...study.deps,
      publishers,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      log: deps.log.child({ module: 'scheduler' }),
    },
    { catchupMs: config.scheduler.catchupHours * 3_600_000 },
  );
  const jobs = study.programmes.jobs();
  const ticker = createTicker({
    dispatcher,
    jobs,
    publishers,
    clock: deps.clock,
    log: deps.log.child({ module: 'scheduler' }),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    expression: everySeconds(config.scheduler.intervalSeconds),
  });
  const bot = createBot({
    study,
    log: deps.log,
    clock: deps.clock,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    platformAdmins: platformAdminDescriptions(config.discord?.managerRole),
    appVersion: APP_VERSION,
    onDeliveryChanged: (id) => live.changed(id),
    // Only a process that runs the scheduler posts at once; the others leave it to the next minute's tick.
    onScheduleDue: () => {
      if (config.scheduler.enabled) ticker.kick();
    },
  });
  return {
    config,
    database,
    tracks,
    study,
    bot,
    jobs,
    publishers,
    ticker,
    live,
    async close() {
      await live.stop();
      await database.close();
    },
  };
}
