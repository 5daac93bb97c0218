/**
 * Questions withheld from a workspace's drills and practice: those reported by at least the threshold of
 * members (REPORT_WITHHOLD_THRESHOLD) in open reports, unless a manager kept them there. The reports are
 * src/feedback's; drills and practice choose their questions below it in the layers, so the one rule they
 * need lives here, beside the drill's choice of card.
 */
import type { Kysely } from 'kysely';
import type { Question, StudyCard } from '../content/track.ts';
import type { WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import type { Database } from '../db/schema.ts';

const DEFAULT_WITHHOLD_THRESHOLD = 3;

export function withholdThreshold(deps: Pick<StudyDeps, 'reportWithholdThreshold'>): number {
  return deps.reportWithholdThreshold ?? DEFAULT_WITHHOLD_THRESHOLD;
}

/** The ids of the questions withheld in `workspace` now. */
export async function withheldQuestions(
  deps: StudyDeps,
  workspace: WorkspaceRef,
  db: Kysely<Database> = deps.db,
): Promise<ReadonlySet<string>> {
  const rows = await db
    .selectFrom('question_reports as r')
    .select('r.question_id')
    .where('r.platform', '=', workspace.platform)
    .where('r.workspace_id', '=', workspace.workspaceId)
    .where('r.resolved_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('question_keeps as k')
            .select('k.question_id')
            .whereRef('k.platform', '=', 'r.platform')
            .whereRef('k.workspace_id', '=', 'r.workspace_id')
            .whereRef('k.question_id', '=', 'r.question_id'),
        ),
      ),
    )
    .groupBy('r.question_id')
    // One open report per member and question (a unique index), so the rows are the members.
    .having((eb) => eb.fn.countAll(), '>=', withholdThreshold(deps))
    .execute();
  return new Set(rows.map((r) => r.question_id));
}

/** The card's questions a workspace may be asked, in the card's order. */
export function askable(card: StudyCard, withheld: ReadonlySet<string>): Question[] {
  return withheld.size === 0 ? card.questions : card.questions.filter((q) => !withheld.has(q.id));
}

/**
 * The first card from `index` on (wrapping at the end of the track) with a question the workspace may be
 * asked, and how many cards it passed over. When every question of every card is withheld, the card at
 * `index` after all: a drill day always shows something.
 */
export function firstAskableCard(
  cards: readonly StudyCard[],
  index: number,
  withheld: ReadonlySet<string>,
): { card: StudyCard; skipped: number } {
  for (let skipped = 0; skipped < cards.length; skipped++) {
    const card = cards[(index + skipped) % cards.length]!;
    if (askable(card, withheld).length > 0) return { card, skipped };
  }
  return { card: cards[index % cards.length]!, skipped: 0 };
}
