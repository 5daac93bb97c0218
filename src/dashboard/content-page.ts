/**
 * The content page: the workspace's open question reports (as `content reports` lists them), each question's
 * text and options, the members' reasons and notes (shown as text, never markup), and the three resolutions.
 */

import type { Track } from '../content/track.ts';
import type { WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { REASON_LABELS, STATUS_LINES } from '../feedback/messages.ts';
import { type QuestionStatus, RESOLUTIONS, type ReportGroup, workspaceReports } from '../feedback/reports.ts';
import { workspaceTracks } from '../tracks/tracks.ts';
import { actionForm, type Html, h, withCode } from './html.ts';

const SHOWN = 50;

function reportBlock(
  g: ReportGroup & { status: QuestionStatus },
  tracks: readonly Track[],
  action: string,
  csrf: string,
): Html {
  const question = tracks.map((t) => t.question(g.questionId)).find(Boolean);
  const card = tracks.map((t) => t.card(g.cardId)).find(Boolean);
  const reasons = [...g.reasons].map(([reason, n]) => `${REASON_LABELS[reason]}: ${n}`).join(', ');
  return h`<article class="report"><h3>#${g.reportId} · ${card?.title ?? g.cardId}</h3>
<p class="meta">${g.reports} member${g.reports === 1 ? '' : 's'} · ${reasons} · ${STATUS_LINES[g.status]}</p>
${question ? h`<p>${withCode(question.stem)}</p><ol class="options">${question.options.map((o) => h`<li>${withCode(o.text)}${o.correct ? h` <strong>(key)</strong>` : ''}</li>`)}</ol>` : h`<p>(no longer in the curriculum)</p>`}
${g.notes.length ? h`<ul class="notes">${g.notes.slice(0, 5).map((n) => h`<li>${n}</li>`)}</ul>` : ''}
<div class="actions">${RESOLUTIONS.map((r) => actionForm(action, csrf, `Resolve: ${r}`, { question: g.questionId, resolution: r }))}</div></article>`;
}

export async function contentBody(
  deps: StudyDeps,
  ws: WorkspaceRef,
  base: string,
  csrf: string,
): Promise<Html> {
  const { groups, threshold } = await workspaceReports(deps, ws);
  const tracks = await workspaceTracks(deps, ws);
  const action = `${base}/content/resolve`;
  return h`<p class="lead">${groups.length} reported question${groups.length === 1 ? '' : 's'} · ${threshold} members' reports withhold a question here.</p>
${groups.length ? groups.slice(0, SHOWN).map((g) => reportBlock(g, tracks, action, csrf)) : h`<p class="empty">No open reports: nothing to look at.</p>`}`;
}
