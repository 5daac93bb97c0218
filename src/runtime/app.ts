/** Wires the application from a config: content, database (migrated), study domain and the bot core. */
import { platformAdminDescriptions } from '../adapters/platform-admins.ts';
import { groupShownWrites } from '../answers/shown.repository.ts';
import { type Bot, createBot } from '../bot/bot.ts';
import { createDigestJob } from '../cohorts/digest.ts';
import { type Config, describeDatabase } from '../config/config.ts';
import { APP_VERSION } from '../config/version.ts';
import { ContentError, loadTracks } from '../content/load.ts';
import type { Track } from '../content/track.ts';
import type { Clock } from '../core/clock.ts';
import type { ScheduledJob } from '../core/jobs.ts';
import type { Log } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Publisher } from '../core/outbound.ts';
import type { Platform } from '../core/types.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import type { StudyDeps } from '../db/deps.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ReadCache } from '../db/read-cache.ts';
import { DRILL_CACHE_ENTRIES, DRILL_CACHE_TTL_MS } from '../deliveries/deliveries.ts';
import { createDispatcher } from '../deliveries/dispatcher.ts';
import { createLiveCounts, type LiveCounts } from '../deliveries/live-counts.ts';
import { createReminderJob } from '../reminders/reminders.ts';
import { createTicker, everySeconds, type Ticker } from '../scheduler/ticker.ts';

export interface App {
  config: Config;
  database: DatabaseHandle;
  tracks: Map<string, Track>;
  /** What every feature function takes: the database, the tracks, the clock and the log. */
  study: StudyDeps;
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

type AppDeps = { log: Log; clock: Clock; metrics?: Metrics };

/** Every track under CONTENT_DIR, loaded and checked: a content problem, or no default track, stops start-up. */
function loadContent(config: Config, log: Log): Map<string, Track> {
  const tracks = loadTracks(config.contentDir);
  for (const track of tracks.values())
    log.info(
      {
        track: track.id,
        modules: track.modules.length,
        cards: track.cards.length,
        contentVersion: track.version,
      },
      'content loaded',
    );
  if (!tracks.has(config.defaultTrack))
    throw new ContentError([
      `DEFAULT_TRACK: no track "${config.defaultTrack}" under ${config.contentDir} (tracks: ${[...tracks.keys()].join(', ') || 'none'})`,
    ]);
  return tracks;
}

/** The database, migrated to the latest schema (closed again when that fails). */
async function openMigratedDatabase(config: Config, log: Log): Promise<DatabaseHandle> {
  const database = openDatabase(config.database, log.child({ module: 'database' }));
  try {
    const applied = await migrateToLatest(database.db, log);
    log.info({ database: describeDatabase(config), applied: applied.length }, 'database ready');
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** The ticker with its dispatcher and the periodic jobs (weekly digests and streak reminders). */
function createScheduling(
  config: Config,
  study: StudyDeps,
  publishers: Map<Platform, Publisher>,
  deps: AppDeps,
): { jobs: ScheduledJob[]; ticker: Ticker } {
  const dispatcher = createDispatcher(
    {
      ...study,
      publishers,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      log: deps.log.child({ module: 'scheduler' }),
    },
    { catchupMs: config.scheduler.catchupHours * 3_600_000 },
  );
  const jobs = [createDigestJob(study), createReminderJob(study)];
  const ticker = createTicker({
    dispatcher,
    jobs,
    publishers,
    clock: deps.clock,
    log: deps.log.child({ module: 'scheduler' }),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    expression: everySeconds(config.scheduler.intervalSeconds),
  });
  return { jobs, ticker };
}

/** What every feature function takes, from the configuration and the open database. */
function studyDeps(
  config: Config,
  database: DatabaseHandle,
  content: { tracks: ReadonlyMap<string, Track>; defaultTrackId: string },
  deps: { log: Log; clock: Clock },
): StudyDeps {
  return {
    db: database.db,
    ...content,
    imported: { byKey: new Map(), lastRowId: 0 },
    defaultTimezone: config.defaultTimezone,
    clock: deps.clock,
    log: deps.log.child({ module: 'study' }),
    reportWithholdThreshold: config.reportWithholdThreshold,
    ...(database.writes && {
      drillCache: new ReadCache(database.writes, DRILL_CACHE_TTL_MS, DRILL_CACHE_ENTRIES),
    }),
    shownWrites: groupShownWrites(database.db),
  };
}

export async function createApp(config: Config, deps: AppDeps): Promise<App> {
  const tracks = loadContent(config, deps.log);
  const database = await openMigratedDatabase(config, deps.log);
  const study = studyDeps(config, database, { tracks, defaultTrackId: config.defaultTrack }, deps);
  const publishers = new Map<Platform, Publisher>();
  const live = createLiveCounts({ ...study, publishers });
  const { jobs, ticker } = createScheduling(config, study, publishers, deps);
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
