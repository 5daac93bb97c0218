/**
 * The scheduler while PostgreSQL is down: a run that fails is logged, and the runs after it go on and post
 * once the server is back. The app is the real one (createApp) on a throwaway cluster; only the ticker is
 * built here so it can tick every second instead of every minute.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { createDispatcher } from '../../src/deliveries/dispatcher.ts';
import { createApp } from '../../src/runtime/app.ts';
import { createTicker } from '../../src/scheduler/ticker.ts';
import { recordingLog } from '../helpers/recording-log.ts';
import { createRecordingPublisher } from '../helpers/recording-publisher.ts';
import { eventually, type FaultRun, faultRun, postgresBinaries, report, seedDueDrills } from './harness.ts';

describe.skipIf(!postgresBinaries())(
  'the scheduler through a PostgreSQL outage',
  { timeout: 120_000 },
  () => {
    let run: FaultRun;
    beforeAll(() => {
      run = faultRun();
    });
    afterAll(() => run.close());

    it('logs the failed runs, keeps ticking, and posts the due drill once the server is back', async () => {
      const cluster = await run.postgres();
      const db = await run.database(cluster.url);
      const log = recordingLog();
      const config = loadConfig({
        DATABASE_URL: db.url,
        DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
        CONTENT_DIR: path.resolve(import.meta.dirname, '../../content'),
      });
      const app = await createApp(config, { log, clock: systemClock });
      const recording = createRecordingPublisher('slack');
      app.publishers.set('slack', recording.publisher);
      const ticker = createTicker({
        dispatcher: createDispatcher(
          { ...app.study, publishers: app.publishers, log },
          { catchupMs: 6 * 3_600_000 },
        ),
        publishers: app.publishers,
        clock: systemClock,
        log,
        expression: '* * * * * *',
      });
      try {
        ticker.start();
        const runs = () => log.lines.filter((l) => l.msg === 'scheduler run');
        await eventually('a scheduler run', () => runs().length > 0, 10_000);
        await cluster.stop();
        // Due while the server is down: nothing can post it yet.
        const stoppedAt = Date.now();
        const failures = () => log.lines.filter((l) => l.msg === 'scheduler run failed' && l.at > stoppedAt);
        await eventually('two failed runs', () => failures().length >= 2, 15_000);
        await cluster.start();
        await seedDueDrills(db, ['C1']);
        await eventually('the drill posted', () => recording.posts.length > 0, 15_000);
        // The run that posted logs "scheduler run" when it ends, after the post itself.
        const after = () => runs().filter((l) => l.at > stoppedAt).length;
        await eventually('a run logged after the outage', () => after() > 0, 15_000);
        const failed = failures().length;
        report('scheduler through an outage', {
          'failed runs': failed,
          'runs after the outage': after(),
          'posts made': recording.posts.length,
          'posts expected': 1,
        });
        expect(failed).toBeGreaterThanOrEqual(2);
        expect(after()).toBeGreaterThan(0);
        expect(recording.posts).toHaveLength(1);
      } finally {
        await ticker.stop();
        await app.close();
      }
    });
  },
);
