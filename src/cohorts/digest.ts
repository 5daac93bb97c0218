/**
 * The weekly digest: every Monday at the cohort's drill time, last week's summary is sent by direct message
 * to the cohort's managers (granted managers and the cohort's creator). A row per (cohort, week) is the
 * claim, so several instances and restarts send it once; a failed send is recorded, never retried. Each
 * cohort keeps when its next digest is due, so a run reads only the cohorts due then.
 */

import { weeklyDigestChart, withChart } from '../charts/index.ts';
import { addDays, slotFor, weekdayIndex } from '../core/calendar.ts';
import { eachDue, type JobReport, type ScheduledJob } from '../core/jobs.ts';
import type { Publisher, Publishers } from '../core/outbound.ts';
import { managerCommand, pct } from '../core/render/text.ts';
import type { OutboundMessage } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import type { CohortRow } from '../db/schema.ts';
import { listGrantedManagers } from '../members/managers.repository.ts';
import { type CohortContext, cohortContext } from '../plans/cohorts.ts';
import { type Cohort, cohortFromRow } from '../plans/model.ts';
import { cohortsDueForDigest, digestClaims, setDigestDue } from './digest.repository.ts';
import { buildCohortReport, type CohortReport, loadReportInput, participationDays } from './reports.ts';

const MONDAY = 0;

function digestMessage(cohort: Cohort, weekStart: string, report: CohortReport): OutboundMessage {
  const weekEnd = addDays(weekStart, 6);
  const { answered, enrolled } = report.participation;
  const weakest = report.modules[0];
  const top = report.points.filter((p) => p.points > 0).slice(0, 3);
  const lines = [
    `Study days: ${report.days.length} · participation ${pct(answered, enrolled)} (${answered} of ${enrolled} member-days)`,
    weakest
      ? `Weakest module: ${weakest.title} (${pct(weakest.correct, weakest.answers)} correct)`
      : undefined,
    top.length
      ? `Top this week: ${top.map((p) => `${p.displayName} ${p.points} pts`).join(', ')}`
      : undefined,
    report.teams.length
      ? `Teams: ${report.teams.map((t) => `${t.rank}. ${t.name} ${t.perMember.toFixed(1)} pts/member`).join(', ')}`
      : undefined,
    report.atRisk.length
      ? `At risk: ${report.atRisk.map((r) => `${r.displayName} (missed ${r.missed} of ${r.of})`).join(', ')}`
      : 'Nobody is at risk.',
  ].filter((l): l is string => l !== undefined);
  const title = `Weekly digest · ${cohort.name} · ${weekStart} to ${weekEnd}`;
  return {
    text: `${title}\n${lines.join('\n')}`,
    card: {
      title,
      sections: [{ body: lines.map((l) => `- ${l}`).join('\n') }],
      footer: `${managerCommand('cohort report')} in the cohort channel has the full report`,
      accent: 'progress',
    },
  };
}

/** The week a digest sent at `ctx.today` covers, or undefined when no digest is due now. */
function digestWeek(ctx: CohortContext, now: Date): string | undefined {
  if (weekdayIndex(ctx.today) !== MONDAY) return undefined;
  const at = slotFor({ timeOfDay: ctx.pace.timeOfDay, timezone: ctx.timezone }, ctx.today);
  if (at.getTime() > now.getTime()) return undefined;
  const weekStart = addDays(ctx.today, -7);
  const weekEnd = addDays(ctx.today, -1);
  // Only weeks the programme ran in.
  if (ctx.cohort.startsOn > weekEnd || ctx.calendar.endsOn < weekStart) return undefined;
  return weekStart;
}

/**
 * When the next digest is due after `now`: the coming Monday at the cohort's time, and no earlier than the
 * Monday after its first week; null when the programme's last week is behind it.
 */
function nextDigestAt(ctx: CohortContext, now: Date): Date | null {
  const at = { timeOfDay: ctx.pace.timeOfDay, timezone: ctx.timezone };
  let monday = addDays(ctx.today, (7 - weekdayIndex(ctx.today)) % 7);
  if (slotFor(at, monday).getTime() <= now.getTime()) monday = addDays(monday, 7);
  const first = addDays(ctx.cohort.startsOn, 7 - weekdayIndex(ctx.cohort.startsOn));
  if (monday < first) monday = first;
  return ctx.calendar.endsOn < addDays(monday, -7) ? null : slotFor(at, monday);
}

/** Sends the week's digest to the cohort's managers (granted managers and its creator); records how it went. */
async function sendDigest(
  deps: StudyDeps,
  ctx: CohortContext,
  weekStart: string,
  publisher: Publisher,
  now: Date,
): Promise<boolean> {
  const { cohort } = ctx;
  const log = deps.log.child({ cohortId: cohort.id, weekStart });
  let delivered = 0;
  let recipients = 0;
  let error: string | null = null;
  try {
    const report = buildCohortReport(
      await loadReportInput({ ...deps, clock: { now: () => now } }, ctx, {
        from: weekStart,
        to: addDays(weekStart, 6),
      }),
    );
    const message = await withChart(
      digestMessage(cohort, weekStart, report),
      () =>
        weeklyDigestChart({
          weekStart,
          days: participationDays(report),
          movers: report.improved.map((i) => ({ name: i.displayName, before: i.before, after: i.after })),
        }),
      `digest-${weekStart}.png`,
      log,
    );
    const granted = await listGrantedManagers(deps.db, cohort.channel);
    const to = [...new Set([...granted.map((g) => g.userId), cohort.createdBy])];
    recipients = to.length;
    for (const userId of to) {
      try {
        await publisher.sendDirect({ ...cohort.channel, userId }, message);
        delivered += 1;
      } catch (err) {
        error ??= err instanceof Error ? err.message : String(err);
        log.warn({ err, userId }, 'digest not delivered');
      }
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    log.error({ err }, 'digest failed');
  }
  const ok = delivered > 0 || (recipients === 0 && error === null);
  await digestClaims.finish(
    deps.db,
    { cohort_id: cohort.id, week_start: weekStart },
    {
      status: ok ? 'sent' : 'failed',
      recipients,
      delivered,
      last_error: error,
      finished_at: deps.clock.now(),
    },
  );
  log.info({ recipients, delivered }, 'digest sent');
  return ok;
}

/** Cohorts read per query. */
const BATCH = 200;

export function createDigestJob(deps: StudyDeps): ScheduledJob {
  return {
    name: 'weekly-digest',
    async run(now: Date, publishers: Publishers): Promise<JobReport> {
      const at = { ...deps, clock: { now: () => now } };
      // `checked`: the cohorts read, which is only those due.
      const result = { checked: 0, sent: 0, failed: 0, due: 0 };
      await eachDue<CohortRow>(
        (after) => cohortsDueForDigest(deps.db, now, [...publishers.keys()], after?.id ?? 0, BATCH),
        BATCH,
        async (row) => {
          result.checked += 1;
          const ctx = await cohortContext(at, cohortFromRow(row));
          const weekStart = digestWeek(ctx, now);
          if (weekStart) {
            result.due += 1;
            const claimed = await digestClaims.claim(deps.db, {
              cohort_id: row.id,
              week_start: weekStart,
              claimed_at: now,
            });
            const publisher = publishers.get(ctx.cohort.channel.platform)!;
            if (claimed && (await sendDigest(deps, ctx, weekStart, publisher, now))) result.sent += 1;
            else if (claimed) result.failed += 1;
          }
          await setDigestDue(deps.db, row.id, nextDigestAt(ctx, now));
        },
        (row, err) => deps.log.error({ err, cohortId: row.id }, 'could not handle a digest'),
      );
      return result;
    },
  };
}
