/** Sign-ins in progress (`dashboard_logins`): a row per OAuth state or login link, taken (deleted) once. */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type LoginKind = 'slack' | 'discord' | 'link';

const keyHash = (value: string) => createHash('sha256').update(value).digest('hex');

export async function putLogin(
  db: Kysely<Database>,
  value: string,
  row: { kind: LoginKind; verifier?: string; workspaceId?: string; userId?: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  // Sign-ins nobody finished are dropped as new ones start, so the table holds only the last minutes' worth.
  await db.deleteFrom('dashboard_logins').where('expires_at', '<', now).execute();
  await db
    .insertInto('dashboard_logins')
    .values({
      key_hash: keyHash(value),
      kind: row.kind,
      verifier: row.verifier ?? null,
      workspace_id: row.workspaceId ?? null,
      user_id: row.userId ?? null,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** The row for `value` of this kind, deleted in the same statement: a second take finds nothing. */
export async function takeLogin(db: Kysely<Database>, value: string, kind: LoginKind, now: Date) {
  const row = await db
    .deleteFrom('dashboard_logins')
    .where('key_hash', '=', keyHash(value))
    .returningAll()
    .executeTakeFirst();
  return row && row.kind === kind && row.expires_at.getTime() > now.getTime() ? row : undefined;
}
