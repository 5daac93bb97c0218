/** Question reports and kept questions: the rows src/feedback owns. */
import { type Kysely, sql } from 'kysely';
import type { ChannelRef, WorkspaceRef } from '../core/types.ts';
import type { Database } from '../db/schema.ts';
import type {
  QuestionReportRow,
  ReportReason,
  ReportResolution,
  ReportSource,
} from '../db/schema-feedback.ts';

const openReports = (db: Kysely<Database>) =>
  db.selectFrom('question_reports').where('resolved_at', 'is', null);

export interface NewReport {
  channel: ChannelRef;
  userId: string;
  questionId: string;
  cardId: string;
  contentVersion: string;
  source: ReportSource;
  reason: ReportReason;
  /** Undefined keeps the note of an open report being updated. */
  note: string | undefined;
  at: Date;
}

/**
 * Stores a member's report, or updates their open report on the same question (its reason, and its note when
 * one is given), under the unique index of open reports. `created` tells which.
 */
export async function upsertReport(
  db: Kysely<Database>,
  r: NewReport,
): Promise<{ id: number; created: boolean }> {
  const row = await db
    .insertInto('question_reports')
    .values({
      platform: r.channel.platform,
      workspace_id: r.channel.workspaceId,
      channel_id: r.channel.channelId,
      user_id: r.userId,
      question_id: r.questionId,
      card_id: r.cardId,
      content_version: r.contentVersion,
      source: r.source,
      reason: r.reason,
      note: r.note ?? null,
      created_at: r.at,
      updated_at: r.at,
    })
    .onConflict((oc) =>
      oc
        .columns(['platform', 'workspace_id', 'question_id', 'user_id'])
        .where('resolved_at', 'is', null)
        .doUpdateSet((eb) => ({
          reason: eb.ref('excluded.reason'),
          note: r.note === undefined ? eb.ref('question_reports.note') : eb.ref('excluded.note'),
          channel_id: eb.ref('excluded.channel_id'),
          content_version: eb.ref('excluded.content_version'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
    )
    // xmax is 0 for a row this statement inserted, and set for one it updated.
    .returning(['id', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

/** How many members have an open report on the question in the workspace. */
export async function openReporters(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  questionId: string,
): Promise<number> {
  const row = await openReports(db)
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .where('question_id', '=', questionId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The member's most recent report in the channel (open or not), for `/roadmap report` after a button. */
export async function latestReportIn(
  db: Kysely<Database>,
  channel: ChannelRef,
  userId: string,
): Promise<{ questionId: string; at: Date } | undefined> {
  const row = await db
    .selectFrom('question_reports')
    .select(['question_id', 'updated_at'])
    .where('platform', '=', channel.platform)
    .where('workspace_id', '=', channel.workspaceId)
    .where('channel_id', '=', channel.channelId)
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { questionId: row.question_id, at: row.updated_at } : undefined;
}

/** A workspace's open reports, newest first (at most `limit`). */
export async function workspaceOpenReports(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  limit = 2000,
): Promise<QuestionReportRow[]> {
  return openReports(db)
    .selectAll()
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Every open report of every workspace, for the maintainers' export. */
export async function allOpenReports(db: Kysely<Database>): Promise<QuestionReportRow[]> {
  return openReports(db).selectAll().orderBy('question_id').orderBy('id').execute();
}

/** The question a report is about, when the report belongs to the workspace. */
export async function questionOfReport(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  id: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('question_reports')
    .select('question_id')
    .where('id', '=', id)
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .executeTakeFirst();
  return row?.question_id;
}

/** Closes every open report on the question in the workspace; returns how many it closed. */
export async function resolveOpenReports(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  questionId: string,
  by: { userId: string; resolution: ReportResolution; at: Date },
): Promise<number> {
  const result = await db
    .updateTable('question_reports')
    .set({ resolved_at: by.at, resolved_by: by.userId, resolution: by.resolution })
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .where('question_id', '=', questionId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function keepQuestion(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  questionId: string,
  keep: { userId: string; at: Date; contentVersion: string },
): Promise<void> {
  const values = { kept_by: keep.userId, kept_at: keep.at, content_version: keep.contentVersion };
  await db
    .insertInto('question_keeps')
    .values({
      platform: workspace.platform,
      workspace_id: workspace.workspaceId,
      question_id: questionId,
      ...values,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'question_id']).doUpdateSet(values))
    .execute();
}

export async function unkeepQuestion(
  db: Kysely<Database>,
  workspace: WorkspaceRef,
  questionId: string,
): Promise<void> {
  await db
    .deleteFrom('question_keeps')
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .where('question_id', '=', questionId)
    .execute();
}

/** The questions kept in the workspace. */
export async function keptQuestions(db: Kysely<Database>, workspace: WorkspaceRef): Promise<Set<string>> {
  const rows = await db
    .selectFrom('question_keeps')
    .select('question_id')
    .where('platform', '=', workspace.platform)
    .where('workspace_id', '=', workspace.workspaceId)
    .execute();
  return new Set(rows.map((r) => r.question_id));
}
