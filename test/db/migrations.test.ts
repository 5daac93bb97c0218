import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/core/log.ts';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.ts';
import { backends } from '../helpers/databases.ts';
import { MIGRATION_NAMES } from '../helpers/migrations.ts';

const TABLES = [
  'answers',
  'board_scores',
  'card_memory',
  'channel_names',
  'channel_welcomes',
  'cohort_digests',
  'cohort_members',
  'cohorts',
  'dashboard_logins',
  'deliveries',
  'drill_skips',
  'drills',
  'last_shown',
  'managers',
  'member_points',
  'member_reminders',
  'members',
  'practice_prompts',
  'question_keeps',
  'question_reports',
  'review_sessions',
  'reviews',
  'slack_installations',
  'team_members',
  'teams',
  'workspace_tracks',
  'workspaces',
];

const ALL = MIGRATION_NAMES;

describe.each(backends)('migrations on $name', (backend) => {
  it('apply, revert completely and apply again; a second run is a no-op', async () => {
    const { handle, drop } = await backend.open({ migrate: false });
    try {
      const tables = async () =>
        (
          await sql<{ table_name: string }>`select table_name from information_schema.tables
            where table_schema = current_schema() and table_name not like 'kysely_%' order by table_name`.execute(
            handle.db,
          )
        ).rows.map((r) => r.table_name);
      expect(ALL[0]).toBe('20261120000000_initial');
      expect(await migrateToLatest(handle.db, silentLog)).toEqual(ALL);
      expect(await tables()).toEqual(TABLES);
      expect(await migrateToLatest(handle.db, silentLog)).toEqual([]);
      expect(await migrateDown(handle.db, silentLog, true)).toEqual([...ALL].reverse());
      expect(await tables()).toEqual([]);
      expect(await migrateToLatest(handle.db, silentLog)).toEqual(ALL);
    } finally {
      await drop();
    }
    // Every migration three times over on embedded PGlite is slow on a busy two-core runner.
  }, 180_000);

  it('enforces one answer per member per delivery and one delivery per drill and day', async () => {
    const { handle, drop } = await backend.open();
    const db = handle.db;
    try {
      await db.insertInto('workspaces').values({ platform: 'slack', workspace_id: 'T1' }).execute();
      const drill = await db
        .insertInto('drills')
        .values({
          platform: 'slack',
          workspace_id: 'T1',
          channel_id: 'C1',
          track_id: 'backend',
          time_of_day: '09:00',
          days: 127,
          timezone: 'UTC',
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const delivery = {
        drill_id: drill.id,
        platform: 'slack' as const,
        workspace_id: 'T1',
        channel_id: 'C1',
        local_date: '2026-11-20',
        study_day: 1,
        card_id: 'c',
        question_id: 'q',
        track_id: 'backend',
        opens_at: new Date(),
      };
      const d = await db.insertInto('deliveries').values(delivery).returning('id').executeTakeFirstOrThrow();
      await expect(db.insertInto('deliveries').values(delivery).execute()).rejects.toThrow(
        /deliveries_drill_date_unique/,
      );
      const answer = {
        platform: 'slack' as const,
        workspace_id: 'T1',
        user_id: 'U1',
        drill_id: drill.id,
        delivery_id: d.id,
        module_id: 'm',
        card_id: 'c',
        question_id: 'q',
        choice: 1,
        correct: true,
        points: 10,
        answered_at: new Date(),
      };
      await db.insertInto('answers').values(answer).execute();
      await expect(
        db
          .insertInto('answers')
          .values({ ...answer, choice: 2 })
          .execute(),
      ).rejects.toThrow(/answers_delivery_user_unique/);
      await expect(
        db
          .insertInto('answers')
          .values({ ...answer, user_id: 'U2', choice: 7 })
          .execute(),
      ).rejects.toThrow(/check/);
    } finally {
      await drop();
    }
  });
});
