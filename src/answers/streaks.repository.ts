/** Streak state per member per drill: a cache of the replay in study/streaks.ts, for boards and reports. */
import type { Kysely } from 'kysely';
import type { Platform } from '../core/types.ts';
import type { Database } from '../db/schema.ts';

export async function saveStreak(
  db: Kysely<Database>,
  row: {
    drillId: number;
    platform: Platform;
    workspaceId: string;
    userId: string;
    current: number;
    best: number;
    freezes: number;
    lastStudyDate: string | null;
  },
): Promise<void> {
  const values = {
    current: row.current,
    best: row.best,
    freezes: row.freezes,
    last_study_date: row.lastStudyDate,
    updated_at: new Date(),
  };
  await db
    .insertInto('streaks')
    .values({
      drill_id: row.drillId,
      platform: row.platform,
      workspace_id: row.workspaceId,
      user_id: row.userId,
      ...values,
    })
    .onConflict((oc) => oc.columns(['drill_id', 'user_id']).doUpdateSet(values))
    .execute();
}
