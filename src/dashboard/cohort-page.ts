/**
 * A cohort's page: participation per study day and accuracy by module (the chat report's charts as SVG, each
 * with its figures as a table), who is at risk, the longest streaks, the most improved, the most-missed
 * questions with the share who chose each option, and the CSV the `cohort export` command sends.
 */
import { moduleAccuracyChart, participationChart } from '../charts/index.ts';
import { type MissedQuestion, mostMissed } from '../cohorts/missed.ts';
import {
  buildCohortReport,
  type CohortReport,
  cohortCsv,
  loadReportInput,
  moduleFigures,
  participationDays,
} from '../cohorts/reports.ts';
import { LETTERS } from '../content/track.ts';
import { pct } from '../core/render/text.ts';
import type { WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { channelNamesOf } from '../plans/channel-names.ts';
import { type CohortContext, cohortById, cohortContext, progressOf } from '../plans/cohorts.ts';
import { type Html, h, table, trusted, withCode } from './html.ts';
import { channelLabel } from './overview.ts';

/** The cohort with this id when it belongs to the workspace; another workspace's cohort is not found. */
export async function cohortOf(
  deps: StudyDeps,
  ws: WorkspaceRef,
  id: number,
): Promise<CohortContext | undefined> {
  const cohort = Number.isSafeInteger(id) ? await cohortById(deps, id) : undefined;
  if (!cohort || cohort.channel.platform !== ws.platform || cohort.channel.workspaceId !== ws.workspaceId)
    return undefined;
  return cohortContext(deps, cohort);
}

export async function cohortCsvOf(deps: StudyDeps, ctx: CohortContext) {
  return {
    filename: `cohort-${ctx.cohort.id}-${ctx.today}.csv`,
    content: cohortCsv(await loadReportInput(deps, ctx)),
  };
}

async function charts(r: CohortReport): Promise<Html> {
  const days = participationDays(r);
  const modules = moduleFigures(r);
  const [participation, accuracy] = await Promise.all([
    participationChart(days),
    moduleAccuracyChart(modules),
  ]);
  const dayTable = table(
    'Participation per study day',
    ['Day', 'Date', 'Answered', 'Enrolled', 'Share'],
    r.days.map((d) => [d.studyDay, d.localDate, d.answered, d.enrolled, pct(d.answered, d.enrolled)]),
  );
  const moduleTable = table(
    'Accuracy by module',
    ['Module', 'Correct', 'Answers', 'Accuracy'],
    r.modules.map((m) => [m.title, m.correct, m.answers, pct(m.correct, m.answers)]),
  );
  return h`<section aria-labelledby="charts"><h2 id="charts">Charts</h2>
<figure class="chart">${trusted(participation.svg)}<figcaption><details><summary>Participation as a table</summary>${dayTable}</details></figcaption></figure>
<figure class="chart">${trusted(accuracy.svg)}<figcaption><details><summary>Accuracy as a table</summary>${moduleTable}</details></figcaption></figure></section>`;
}

function missedBlock(q: MissedQuestion): Html {
  const options = q.options.map(
    (o, i) =>
      h`<li${o.correct ? trusted(' class="correct"') : ''}><span class="letter">${LETTERS[i] ?? '?'}</span> ${withCode(o.text)}${
        o.correct ? h` <strong>(correct)</strong>` : ''
      }: ${pct(o.chosen, q.answered)} (${o.chosen})</li>`,
  );
  return h`<article class="missed"><h3>Day ${q.studyDay} · ${q.localDate}: ${pct(q.wrong, q.answered)} missed</h3>
<p>${q.stem ? withCode(q.stem) : `Question ${q.questionId} (no longer in the curriculum)`}</p><ol class="options">${options}</ol></article>`;
}

function people(r: CohortReport): Html {
  return h`<section aria-labelledby="people"><h2 id="people">Members</h2>
${table(
  'At risk (missed at least 2 of their last 5 study days)',
  ['Member', 'Missed', 'Of'],
  r.atRisk.map((a) => [a.displayName, a.missed, a.of]),
)}
${table(
  'Longest current streaks',
  ['Member', 'Current', 'Best'],
  r.streaks.map((s) => [s.displayName, s.current, s.best]),
)}
${table(
  'Most improved (accuracy, last 14 days against the 14 before)',
  ['Member', 'Before', 'After'],
  r.improved.map((i) => [i.displayName, pct(i.before, 1), pct(i.after, 1)]),
)}</section>`;
}

export async function cohortBody(deps: StudyDeps, ctx: CohortContext, base: string): Promise<Html> {
  const input = await loadReportInput(deps, ctx);
  const r = buildCohortReport(input);
  const missed = mostMissed(input, await trackFor(deps, ctx.cohort.trackId));
  const progress = progressOf(ctx);
  const csv = `${base}/cohorts/${ctx.cohort.id}/export.csv`;
  const { channel } = ctx.cohort;
  const names = await channelNamesOf(deps.db, channel, [channel.channelId]);
  return h`<p class="lead">${channelLabel(names, channel)} · ${r.members} members · ${progress.phase} · participation ${pct(
    r.participation.answered,
    r.participation.enrolled,
  )} · <a href="${csv}" download>Download the CSV</a></p>
${await charts(r)}${people(r)}
<section aria-labelledby="missed"><h2 id="missed">Most-missed questions</h2>${
    missed.length ? missed.map(missedBlock) : h`<p class="empty">No question missed yet.</p>`
  }</section>`;
}
