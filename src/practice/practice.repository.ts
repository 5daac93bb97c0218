/** Practice prompts: a question shown to one member, answerable once. */
import type { Kysely } from 'kysely';
import type { ChannelRef } from '../core/types.ts';
import type { Database, PracticePromptRow } from '../db/schema.ts';

export async function insertPrompt(
  db: Kysely<Database>,
  channel: ChannelRef,
  userId: string,
  p: { cardId: string; questionId: string; reason: string; at: Date },
): Promise<PracticePromptRow> {
  return db
    .insertInto('practice_prompts')
    .values({
      platform: channel.platform,
      workspace_id: channel.workspaceId,
      channel_id: channel.channelId,
      user_id: userId,
      card_id: p.cardId,
      question_id: p.questionId,
      reason: p.reason,
      created_at: p.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPrompt(db: Kysely<Database>, id: number): Promise<PracticePromptRow | undefined> {
  return db.selectFrom('practice_prompts').selectAll().where('id', '=', id).executeTakeFirst();
}
