import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/core/log.ts';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/db/migrate.ts';
import { backends } from '../helpers/databases.ts';
import { MIGRATION_NAMES } from '../helpers/migrations.ts';

const TIE_BREAK = '20261203040100_board_tie_break';

describe.each(backends)('the board tie-break migration on $name', (backend) => {
  it("fills in when each existing total was reached, per period in the drill's zone", async () => {
    const { handle, drop } = await backend.open({ migrate: false });
    // biome-ignore lint/suspicious/noExplicitAny: the schema before the migration
    const db = handle.db as unknown as Kysely<any>;
    try {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      const migrator = new Migrator({
        db,
        provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
        migrationTableSchema: rows[0]!.schema,
      });
      const before = MIGRATION_NAMES[MIGRATION_NAMES.indexOf(TIE_BREAK) - 1]!;
      expect((await migrator.migrateTo(before)).error).toBeUndefined();

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
          timezone: 'Europe/Berlin',
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Monday 16 at 11:00 Berlin, and Monday 23 at 00:30 Berlin (still Sunday 22 in UTC).
      const times = ['2026-11-16T10:00:00Z', '2026-11-22T23:30:00Z'];
      for (const [i, at] of times.entries()) {
        const d = await db
          .insertInto('deliveries')
          .values({
            drill_id: drill.id,
            platform: 'slack',
            workspace_id: 'T1',
            channel_id: 'C1',
            local_date: i === 0 ? '2026-11-16' : '2026-11-22',
            study_day: i + 1,
            card_id: 'c',
            question_id: `q${i}`,
            opens_at: new Date(at),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('answers')
          .values({
            platform: 'slack',
            workspace_id: 'T1',
            user_id: 'U1',
            drill_id: drill.id,
            delivery_id: d.id,
            module_id: 'm',
            card_id: 'c',
            question_id: `q${i}`,
            choice: 0,
            correct: true,
            points: 10,
            answered_at: new Date(at),
          })
          .execute();
      }
      const totals = [
        ['week', '2026-11-16', 10],
        ['week', '2026-11-23', 10],
        ['month', '2026-11-01', 20],
        ['all', '1970-01-01', 20],
      ] as const;
      await db
        .insertInto('member_points')
        .values(
          totals.map(([period, start, points]) => ({
            drill_id: drill.id,
            user_id: 'U1',
            period,
            period_start: start,
            points,
            answers: points / 10,
            correct: points / 10,
          })),
        )
        .execute();

      await migrateToLatest(db, silentLog);
      const reached = await db
        .selectFrom('member_points')
        .select(['period', 'period_start', 'reached_at'])
        .orderBy('period')
        .orderBy('period_start')
        .execute();
      expect(reached.map((r) => [r.period, r.period_start, (r.reached_at as Date).toISOString()])).toEqual([
        ['all', '1970-01-01', '2026-11-22T23:30:00.000Z'],
        ['month', '2026-11-01', '2026-11-22T23:30:00.000Z'],
        ['week', '2026-11-16', '2026-11-16T10:00:00.000Z'],
        ['week', '2026-11-23', '2026-11-22T23:30:00.000Z'],
      ]);
    } finally {
      await drop();
    }
  });
});
