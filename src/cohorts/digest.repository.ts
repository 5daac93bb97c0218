/** The weekly digest's claim rows: inserting the row is the claim, so one instance sends each week's digest. */
import type { Kysely } from 'kysely';
import type { ClaimStatus, Database } from '../db/schema.ts';

export async function claimDigest(
  db: Kysely<Database>,
  cohortId: number,
  weekStart: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .insertInto('cohort_digests')
    .values({ cohort_id: cohortId, week_start: weekStart, claimed_at: now })
    .onConflict((oc) => oc.columns(['cohort_id', 'week_start']).doNothing())
    .returning('cohort_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishDigest(
  db: Kysely<Database>,
  cohortId: number,
  weekStart: string,
  r: { status: ClaimStatus; recipients: number; delivered: number; error: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('cohort_digests')
    .set({
      status: r.status,
      recipients: r.recipients,
      delivered: r.delivered,
      last_error: r.error,
      finished_at: r.at,
    })
    .where('cohort_id', '=', cohortId)
    .where('week_start', '=', weekStart)
    .execute();
}
