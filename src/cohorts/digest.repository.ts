/**
 * The weekly digest's rows: the claim per (cohort, week), so one instance sends each week's digest, and each
 * cohort's due time, so a run reads only the cohorts whose digest may be due.
 */
import type { Kysely } from 'kysely';
import type { Platform } from '../core/types.ts';
import { claimTable } from '../db/claims.ts';
import type { CohortRow, Database } from '../db/schema.ts';

/** One digest per cohort and week: inserting the row is the claim. */
export const digestClaims = claimTable('cohort_digests', ['cohort_id', 'week_start']);

/** Cohorts whose digest is due by `now`, on the platforms this process serves, by id after `afterId`. */
export async function cohortsDueForDigest(
  db: Kysely<Database>,
  now: Date,
  platforms: readonly Platform[],
  afterId: number,
  limit: number,
): Promise<CohortRow[]> {
  if (platforms.length === 0) return [];
  return db
    .selectFrom('cohorts')
    .selectAll()
    .where('digest_due_at', '<=', now)
    .where('platform', 'in', platforms)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** When the digest job next looks at the cohort; null once no digest is left to send. */
export async function setDigestDue(db: Kysely<Database>, cohortId: number, at: Date | null): Promise<void> {
  await db.updateTable('cohorts').set({ digest_due_at: at }).where('id', '=', cohortId).execute();
}
