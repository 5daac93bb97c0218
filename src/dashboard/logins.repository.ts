/**
 * Sign-ins in progress (`dashboard_logins`): a row per OAuth state or login link, taken (deleted) once; and the
 * sessions signed out before their expiry, kept until then so a copied cookie stops working at sign-out.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export type LoginKind = 'slack' | 'discord' | 'link' | 'signout';

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
    .where('kind', '=', kind)
    .returningAll()
    .executeTakeFirst();
  return row && row.expires_at.getTime() > now.getTime() ? row : undefined;
}

/** A session signed out: refused from now until it would have expired anyway. */
export const endSession = (db: Kysely<Database>, sid: string, exp: number, now: Date) =>
  putLogin(db, sid, { kind: 'signout', expiresAt: new Date(exp) }, now);

export async function sessionEnded(db: Kysely<Database>, sid: string): Promise<boolean> {
  const row = await db
    .selectFrom('dashboard_logins')
    .select('key_hash')
    .where('key_hash', '=', keyHash(sid))
    .where('kind', '=', 'signout')
    .executeTakeFirst();
  return row !== undefined;
}

/** Sign-ins started and not finished nor expired: anyone may start one, so their number is capped. */
export async function pendingSignIns(db: Kysely<Database>, now: Date): Promise<number> {
  const row = await db
    .selectFrom('dashboard_logins')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', 'in', ['slack', 'discord'])
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
