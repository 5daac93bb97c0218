/**
 * How a board reads: 🥇🥈🥉 for the top three, the caller's row marked, each member's streak 🔥 beside the name,
 * and on a week board an arrow for places gained or lost since last week's final board. The terminal shows
 * the same symbols in words (src/adapters/console/console-render.ts).
 */
import type { BoardLine } from '../answers/stats.ts';
import { memberName } from '../core/render/text.ts';

const MEDALS = ['🥇', '🥈', '🥉'];

/** "🥇" for ranks 1–3 (shared ranks share the medal), "4." below. */
export function rankMark(rank: number): string {
  return MEDALS[rank - 1] ?? `${rank}.`;
}

/**
 * Places moved since last week's final board: "▲2" up, "▼1" down, "=" the same, "new" for a member who was not
 * on it. Nothing outside week boards.
 */
function trend(line: Pick<BoardLine, 'rank' | 'lastWeekRank'>): string | undefined {
  if (line.lastWeekRank === undefined) return undefined;
  if (line.lastWeekRank === null) return 'new';
  const moved = line.lastWeekRank - line.rank;
  return moved > 0 ? `▲${moved}` : moved < 0 ? `▼${-moved}` : '=';
}

export const BOARD_LEGEND = '🔥 study days in a row · ▲▼ places since last week’s final board';

/** One row: "🥇 Ana 🔥5 · 120 pts · 12/12 correct · ▲2", the caller's name in bold and marked "← you". */
export function boardLine(line: BoardLine, callerId: string): string {
  const me = line.userId === callerId;
  const shown = memberName(line);
  const name = me ? `**${shown}**` : shown;
  const streak = line.streak > 0 ? ` 🔥${line.streak}` : '';
  const moved = trend(line);
  const figures = [
    `${line.points} pts`,
    `${line.correct}/${line.answers} correct`,
    ...(moved ? [moved] : []),
  ];
  return `${rankMark(line.rank)} ${name}${streak} · ${figures.join(' · ')}${me ? ' ← you' : ''}`;
}
