/**
 * The weekly digest: every Monday at the cohort's drill time, last week's summary is sent by direct message
 * to the cohort's managers (granted managers and the cohort's creator). A row per (cohort, week) is the
 * claim, so several instances and restarts send it once; a failed send is recorded, never retried.
 */

import { addDays, slotFor, weekdayIndex } from '../core/calendar.ts';
import type { JobReport, ScheduledJob } from '../core/jobs.ts';
import type { Publishers } from '../core/outbound.ts';
import { pct } from '../core/render/text.ts';
import type { OutboundMessage } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { listGrantedManagers } from '../members/managers.repository.ts';
import { cohortsForDigest } from '../plans/cohorts.repository.ts';
import { type Cohort, type CohortContext, cohortContext, cohortFromRow } from '../plans/cohorts.ts';
import { claimDigest, finishDigest } from './digest.repository.ts';
import { buildCohortReport, type CohortReport, loadReportInput } from './reports.ts';

const MONDAY = 0;
const DAY_MS = 24 * 60 * 60 * 1000;

export function digestMessage(cohort: Cohort, weekStart: string, report: CohortReport): OutboundMessage {
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
      footer: '/roadmap cohort report in the cohort channel has the full report',
      accent: report.atRisk.length ? 'warning' : 'info',
    },
  };
}

/** The week a digest sent at `ctx.today` covers, or undefined when no digest is due now. */
export function digestWeek(ctx: CohortContext, now: Date): string | undefined {
  if (weekdayIndex(ctx.today) !== MONDAY) return undefined;
  const at = slotFor({ timeOfDay: ctx.pace.timeOfDay, timezone: ctx.timezone }, ctx.today);
  if (at.getTime() > now.getTime()) return undefined;
  const weekStart = addDays(ctx.today, -7);
  const weekEnd = addDays(ctx.today, -1);
  // Only weeks the programme ran in.
  if (ctx.cohort.startsOn > weekEnd || ctx.calendar.endsOn < weekStart) return undefined;
  return weekStart;
}

export function createDigestJob(deps: StudyDeps): ScheduledJob {
  return {
    name: 'weekly-digest',
    async run(now: Date, publishers: Publishers): Promise<JobReport> {
      const at = { ...deps, clock: { now: () => now } };
      const result = { sent: 0, failed: 0, due: 0 };
      for (const row of await cohortsForDigest(deps.db, new Date(now.getTime() - 14 * DAY_MS))) {
        const cohort = cohortFromRow(row);
        const publisher = publishers.get(cohort.channel.platform);
        if (!publisher) continue;
        const ctx = await cohortContext(at, cohort);
        const weekStart = digestWeek(ctx, now);
        if (!weekStart) continue;
        result.due += 1;
        if (!(await claimDigest(deps.db, cohort.id, weekStart, now))) continue;
        const log = deps.log.child({ cohortId: cohort.id, weekStart });
        let delivered = 0;
        let recipients = 0;
        let error: string | null = null;
        try {
          const report = buildCohortReport(
            await loadReportInput(at, ctx, { from: weekStart, to: addDays(weekStart, 6) }),
          );
          const message = digestMessage(cohort, weekStart, report);
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
        await finishDigest(deps.db, cohort.id, weekStart, {
          status: ok ? 'sent' : 'failed',
          recipients,
          delivered,
          error,
          at: deps.clock.now(),
        });
        if (ok) result.sent += 1;
        else result.failed += 1;
        log.info({ recipients, delivered }, 'digest sent');
      }
      return result;
    },
  };
}
