/**
 * A board as a member reads it, in one statement: the top rows, the caller's totals and rank, and for each of
 * these rows the inputs of its streak (the deliveries the member answered) and, on a week board, its rank on
 * last week's final board.
 */
import { type Kysely, sql } from 'kysely';
import type { WorkspaceRef } from '../core/types.ts';
import { PREPARED } from '../db/prepared.ts';
import type { Database, PeriodKind } from '../db/schema.ts';
import { type BoardRow, RANK, topQuery } from './boards.repository.ts';

export interface BoardRead extends BoardRow {
  /** The deliveries of the drill this member answered: their streak's input. */
  answered: number[];
  /** Rank on last week's board among visible members; null when absent, hidden or not asked for. */
  lastWeekRank: number | null;
}

export interface BoardReadQuery {
  drill: { id: number; channel: WorkspaceRef };
  period: PeriodKind;
  start: string;
  limit: number;
  userId: string;
  /** Start of last week's board, when the ranks on it are wanted (week boards). */
  lastWeekStart?: string;
}

interface ReadRow {
  mine: boolean;
  user_id: string;
  display_name: string | null;
  points: number;
  answers: number;
  correct: number;
  reached_at: Date;
  rank: string | null;
  answered: number[];
  last_week_rank: string | null;
}

/** The top rows in board order, and the caller's own row with its rank (undefined when not on the board). */
export async function readBoard(
  db: Kysely<Database>,
  q: BoardReadQuery,
): Promise<{ top: BoardRead[]; mine?: BoardRead & { rank: number } }> {
  const { id } = q.drill;
  const lastWeek = q.lastWeekStart
    ? sql`(select ${RANK} from member_points p where p.drill_id = ${id} and p.period = 'week'
        and p.period_start = ${q.lastWeekStart} and p.user_id = r.user_id and not p.hidden)`
    : sql`null`;
  // Prepared: its plan is kept per connection instead of planned each time (the text is fixed: two variants).
  const { rows } = await sql<ReadRow>`${PREPARED}
    with top as (${topQuery(db, id, q.period, q.start, q.limit)}),
    mine as (
      select p.user_id, p.points, p.answers, p.correct, p.reached_at, ${RANK} as rank from member_points p
      where p.drill_id = ${id} and p.period = ${q.period} and p.period_start = ${q.start}
        and p.user_id = ${q.userId}),
    shown as (
      select false as mine, user_id, display_name, points, answers, correct, reached_at, null::numeric as rank
        from top
      union all
      select true, user_id, null, points, answers, correct, reached_at, rank from mine)
    select r.*,
      (select coalesce(json_agg(a.delivery_id), '[]'::json) from answers a
        where a.platform = ${q.drill.channel.platform} and a.workspace_id = ${q.drill.channel.workspaceId}
          and a.drill_id = ${id} and a.delivery_id is not null and a.user_id = r.user_id) as answered,
      ${lastWeek} as last_week_rank
    from shown r
    order by r.mine, r.points desc, r.correct desc, r.reached_at asc, r.display_name asc`.execute(db);
  const line = (r: ReadRow): BoardRead => ({
    userId: r.user_id,
    displayName: r.display_name ?? '',
    points: r.points,
    answers: r.answers,
    correct: r.correct,
    reachedAt: r.reached_at,
    answered: r.answered,
    lastWeekRank: r.last_week_rank === null ? null : Number(r.last_week_rank),
  });
  const own = rows.find((r) => r.mine);
  return {
    top: rows.filter((r) => !r.mine).map(line),
    ...(own ? { mine: { ...line(own), rank: Number(own.rank) } } : {}),
  };
}
