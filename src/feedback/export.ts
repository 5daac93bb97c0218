/**
 * The maintainers' export: every open question report across workspaces, one row per question, as a Markdown
 * table to paste into a content pull request. Members' notes are shown as code, so nothing they typed becomes a
 * link, a mention or HTML in the pull request.
 */
import type { Kysely } from 'kysely';
import type { Track } from '../content/track.ts';
import type { Database } from '../db/schema.ts';
import { REASON_LABELS } from './messages.ts';
import { allOpenReports } from './reports.repository.ts';
import { groupByQuestion, type ReportGroup } from './reports.ts';

/** Notes shown per question; the count of the others follows. */
const NOTES_PER_QUESTION = 5;

/** Text in a table cell: one line, with the characters that would end the cell or start markup escaped. */
export function tableCell(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text as inline code in a table cell: inert (no links, mentions, HTML); only its pipes need escaping. */
export function codeCell(text: string): string {
  const inner = text.replace(/\s+/g, ' ').trim().replace(/`/g, "'").replace(/\|/g, '\\|');
  return inner ? `\`${inner}\`` : '';
}

export function reportsMarkdown(groups: readonly ReportGroup[], tracks: readonly Track[]): string {
  if (groups.length === 0) return 'No open question reports.';
  const cardTitle = (id: string) => tracks.map((t) => t.card(id)?.title).find((t) => t !== undefined);
  const rows = groups.map((g) => {
    const reasons = [...g.reasons]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${REASON_LABELS[reason].toLowerCase()} ×${n}`)
      .join(', ');
    const shown = g.notes.slice(0, NOTES_PER_QUESTION).map(codeCell);
    if (g.notes.length > shown.length) shown.push(`and ${g.notes.length - shown.length} more`);
    const title = cardTitle(g.cardId);
    const inContent = tracks.some((t) => t.question(g.questionId));
    return [
      `${codeCell(g.questionId)}${inContent ? '' : ' (no longer in the content)'}`,
      title ? `${tableCell(title)} (${codeCell(g.cardId)})` : codeCell(g.cardId),
      String(g.reports),
      tableCell(reasons),
      String(g.workspaces),
      shown.join(' · '),
    ];
  });
  const reports = groups.reduce((n, g) => n + g.reports, 0);
  return [
    `Open question reports: ${reports} on ${groups.length} question${groups.length === 1 ? '' : 's'}, the most reported first.`,
    '',
    '| Question | Card | Reports | Reasons | Workspaces | Notes |',
    '| --- | --- | ---: | --- | ---: | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

export async function openReportsMarkdown(db: Kysely<Database>, tracks: readonly Track[]): Promise<string> {
  return reportsMarkdown(groupByQuestion(await allOpenReports(db)), tracks);
}
