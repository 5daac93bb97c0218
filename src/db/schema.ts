/** Table types for Kysely: snake_case rows exactly as the migrations create them. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Platform } from '../core/types.ts';
import type { BigId, BigRef, CreatedAt, LocalDate, Timestamp } from './schema-columns.ts';
import type { QuestionKeepsTable, QuestionReportsTable } from './schema-feedback.ts';
import type { CardMemoryTable, ReviewSessionsTable, ReviewsTable } from './schema-memory.ts';
import type { WorkspaceTracksTable } from './schema-tracks.ts';

interface WorkspacesTable {
  platform: Platform;
  workspace_id: string;
  name: string | null;
  timezone: Generated<string>;
  created_at: CreatedAt;
}

interface MembersTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  display_name: string;
  hidden: Generated<boolean>;
  timezone: string | null;
  remind_enabled: Generated<boolean>;
  remind_at: string | null;
  /** When the reminder job next looks at this member; null while reminders are off. */
  reminder_due_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

interface ManagersTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  granted_by: string;
  created_at: CreatedAt;
}

interface CohortsTable {
  id: BigId;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  name: string;
  track_id: string;
  starts_on: LocalDate;
  ends_on: LocalDate | null;
  status: Generated<'active' | 'ended'>;
  created_by: string;
  created_at: CreatedAt;
  ended_at: Timestamp | null;
  /** The pace the cohort ran at, kept at creation and at its end (null only for rows older than that). */
  days: number | null;
  time_of_day: string | null;
  timezone: string | null;
  /** When the digest job next looks at this cohort; null once its last digest is behind it. */
  digest_due_at: Timestamp | null;
}

interface CohortMembersTable {
  cohort_id: BigRef;
  platform: Platform;
  workspace_id: string;
  user_id: string;
  joined_at: CreatedAt;
  joined_on: LocalDate;
  left_at: Timestamp | null;
}

interface DrillsTable {
  id: BigId;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  track_id: string;
  time_of_day: string;
  days: number;
  timezone: string;
  position: Generated<number>;
  status: Generated<'active' | 'paused'>;
  pause_reason: string | null;
  paused_at: Timestamp | null;
  reveal_time: string | null;
  cohort_id: BigRef | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  next_slot_at: Timestamp | null;
  schedule_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Review drills: null is the default ('auto' for a plain drill, 'off' for a cohort's). */
  review_mode: ReviewMode | null;
}

export type ReviewMode = 'auto' | 'weekly' | 'off';

interface DrillSkipsTable {
  drill_id: BigRef;
  local_date: LocalDate;
  created_by: string | null;
  created_at: CreatedAt;
  reason: Generated<'manual' | 'missed'>;
}

type PostStatus = 'pending' | 'posting' | 'posted' | 'failed' | 'not_posted';

interface DeliveriesTable {
  id: BigId;
  drill_id: BigRef;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  local_date: LocalDate;
  study_day: number;
  card_id: string;
  question_id: string;
  /** The track (a workspace track's `<id>@<version>`) the delivery was opened with. */
  track_id: string;
  opens_at: Timestamp;
  closes_at: Timestamp | null;
  reveal_at: Timestamp | null;
  late: Generated<boolean>;
  post_status: Generated<PostStatus>;
  post_lease_until: Timestamp | null;
  post_attempts: Generated<number>;
  message_id: string | null;
  posted_at: Timestamp | null;
  revealed_at: Timestamp | null;
  reveal_lease_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  /** A review day: an already-taught card the channel is forgetting; the drill's position did not advance. */
  is_review: Generated<boolean>;
  /** On a review day: how many of the channel's members had the card due when it opened. */
  review_due: number | null;
  /** The results post made at reveal (a reply to the drill), once recorded. */
  results_message_id: string | null;
  /**
   * When the reveal's edit was done and the results post first tried: a later attempt skips the edit and
   * looks for the post's message before posting.
   */
  results_attempted_at: Timestamp | null;
}

interface PracticePromptsTable {
  id: BigId;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  user_id: string;
  card_id: string;
  question_id: string;
  reason: string;
  created_at: CreatedAt;
}

interface AnswersTable {
  id: BigId;
  platform: Platform;
  workspace_id: string;
  user_id: string;
  drill_id: BigRef | null;
  delivery_id: BigRef | null;
  practice_id: BigRef | null;
  module_id: string;
  card_id: string;
  question_id: string;
  choice: number;
  correct: boolean;
  points: number;
  answered_at: Timestamp;
  /** The track's content version when the answer was given (src/content/load.ts); null before it was recorded. */
  content_version: string | null;
}

/** The question a member saw last in a channel: a drill shown by `today` or a practice prompt. */
interface LastShownTable {
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  user_id: string;
  delivery_id: BigRef | null;
  practice_id: BigRef | null;
  shown_at: Timestamp;
}

export type PeriodKind = 'week' | 'month' | 'all';

interface MemberPointsTable {
  drill_id: BigRef;
  user_id: string;
  period: PeriodKind;
  period_start: LocalDate;
  points: number;
  answers: number;
  correct: number;
  /** When the member reached these totals (their last answer counted in the period): the last tie-break. */
  reached_at: Timestamp;
  /** The member's `hidden`, kept here so a rank subtracts the hidden members ahead from one index. */
  hidden: Generated<boolean>;
}

/** How many members of a drill's board for one period stand on each (points, correct): ranks sum these. */
interface BoardScoresTable {
  drill_id: BigRef;
  period: PeriodKind;
  period_start: LocalDate;
  points: number;
  correct: number;
  members: number;
}

interface TeamsTable {
  id: BigId;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  cohort_id: BigRef | null;
  name: string;
  created_by: string;
  created_at: CreatedAt;
}

interface TeamMembersTable {
  team_id: BigRef;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  user_id: string;
  joined_at: CreatedAt;
}

type ClaimStatus = 'sending' | 'sent' | 'failed';

/** One weekly digest per cohort and week; the row is the claim. */
interface CohortDigestsTable {
  cohort_id: BigRef;
  week_start: LocalDate;
  status: Generated<ClaimStatus>;
  recipients: Generated<number>;
  delivered: Generated<number>;
  last_error: string | null;
  claimed_at: Timestamp;
  finished_at: Timestamp | null;
}

/** One streak reminder per member per local day; the row is the claim. */
interface MemberRemindersTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  local_date: LocalDate;
  status: Generated<ClaimStatus>;
  last_error: string | null;
  claimed_at: Timestamp;
  finished_at: Timestamp | null;
}

/** A channel the bot has welcomed; the row is the claim that keeps the welcome to one post. */
interface ChannelWelcomesTable {
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  welcomed_at: Timestamp;
}

/** A channel's name as the platform last showed it with a command there (src/plans/channel-names.ts). */
interface ChannelNamesTable {
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  name: string;
  updated_at: Timestamp;
}

/** A dashboard sign-in in progress (src/dashboard): an OAuth state or a one-time login link, used once. */
interface DashboardLoginsTable {
  /** SHA-256 of the state or link token the browser holds, or of a signed-out session's id (hex). */
  key_hash: string;
  kind: 'slack' | 'discord' | 'link' | 'signout';
  /** The PKCE code verifier of an OAuth sign-in. */
  verifier: string | null;
  /** Whom a login link signs in (the terminal's owner). */
  workspace_id: string | null;
  user_id: string | null;
  expires_at: Timestamp;
}

export interface Database {
  workspaces: WorkspacesTable;
  members: MembersTable;
  managers: ManagersTable;
  cohorts: CohortsTable;
  cohort_members: CohortMembersTable;
  drills: DrillsTable;
  drill_skips: DrillSkipsTable;
  deliveries: DeliveriesTable;
  practice_prompts: PracticePromptsTable;
  last_shown: LastShownTable;
  answers: AnswersTable;
  member_points: MemberPointsTable;
  board_scores: BoardScoresTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  cohort_digests: CohortDigestsTable;
  member_reminders: MemberRemindersTable;
  reviews: ReviewsTable;
  card_memory: CardMemoryTable;
  review_sessions: ReviewSessionsTable;
  question_reports: QuestionReportsTable;
  question_keeps: QuestionKeepsTable;
  workspace_tracks: WorkspaceTracksTable;
  channel_welcomes: ChannelWelcomesTable;
  dashboard_logins: DashboardLoginsTable;
  channel_names: ChannelNamesTable;
}

export type DrillRow = Selectable<DrillsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type AnswerRow = Selectable<AnswersTable>;
export type PracticePromptRow = Selectable<PracticePromptsTable>;
export type NewAnswer = Insertable<AnswersTable>;
export type CohortRow = Selectable<CohortsTable>;
export type TeamRow = Selectable<TeamsTable>;
