/** Table types of the memory scheduler (src/memory: FSRS card memory, the review log, review sessions), beside schema.ts's. */
import type { ColumnType, Selectable } from 'kysely';
import type { Platform } from '../core/types.ts';
import type { BigId, BigRef, Timestamp } from './schema-columns.ts';

/** The review log: one row per graded answer; rating is ts-fsrs's Rating (1 Again, 3 Good). */
export interface ReviewsTable {
  id: BigId;
  platform: Platform;
  workspace_id: string;
  user_id: string;
  card_id: string;
  question_id: string;
  rating: number;
  source: 'drill' | 'practice';
  answer_id: BigRef | null;
  reviewed_at: Timestamp;
}

/** A member's FSRS memory of a card, as ts-fsrs keeps it (state: 0 New, 1 Learning, 2 Review, 3 Relearning). */
export interface CardMemoryTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  card_id: string;
  state: number;
  stability: number;
  difficulty: number;
  due: Timestamp;
  last_review: Timestamp | null;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** When a member's current `/roadmap review` session started: its misses are the ones from before. */
export interface ReviewSessionsTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  started_at: Timestamp;
}

export type ReviewRow = Selectable<ReviewsTable>;
export type CardMemoryRow = Selectable<CardMemoryTable>;
