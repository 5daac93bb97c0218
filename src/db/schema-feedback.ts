/** Table types of question reports and kept questions (src/feedback), beside schema.ts's. */
import type { Selectable } from 'kysely';
import type { BigId, Timestamp } from './schema-columns.ts';

export type ReportReason = 'wrong-key' | 'unclear' | 'outdated' | 'typo' | 'other';
export type ReportSource = 'drill' | 'practice' | 'reveal' | 'command';
export type ReportResolution = 'fixed' | 'kept' | 'dismissed';

/** A member's report of a question; open until a manager resolves it (one open report per member and question). */
export interface QuestionReportsTable {
  id: BigId;
  platform: string;
  workspace_id: string;
  channel_id: string;
  user_id: string;
  question_id: string;
  card_id: string;
  content_version: string;
  source: ReportSource;
  reason: ReportReason;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: ReportResolution | null;
}

/** A question a manager kept in a workspace: its reports no longer withhold it from drills and practice there. */
export interface QuestionKeepsTable {
  platform: string;
  workspace_id: string;
  question_id: string;
  kept_by: string;
  kept_at: Timestamp;
  content_version: string;
}

export type QuestionReportRow = Selectable<QuestionReportsTable>;
