/**
 * Streak reminders (opt-in): a direct message at the member's chosen local time when today's drill in their
 * channels is still unanswered. A row per (member, local day) is the claim: at most one reminder a day,
 * whatever the instances and restarts; a failed send is recorded, never retried.
 */

import { findDeliveryAnswer } from '../answers/answers.repository.ts';
import { streakFor } from '../answers/streak-service.ts';
import { addDays, isStudyWeekday, localDateOf, slotFor } from '../core/calendar.ts';
import { eachDue, type JobReport, type ScheduledJob } from '../core/jobs.ts';
import type { Publisher, Publishers } from '../core/outbound.ts';
import { channelRef } from '../core/render/text.ts';
import type { ChannelRef, OutboundMessage, Platform, UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { trackFor } from '../db/track-versions.ts';
import { findDeliveryByDate } from '../deliveries/deliveries.repository.ts';
import { setReminder, setReminderDue } from '../members/managers.repository.ts';
import { findMember, workspaceTimezone } from '../members/members.repository.ts';
import { cohortCardIndex } from '../plans/cohorts.ts';
import { drillsOfMember, listSkips } from '../plans/drills.repository.ts';
import { type Drill, deliveryFromRow, drillFromRow, isOpen } from '../plans/model.ts';
import { type DueMember, membersDueForReminder, reminderClaims } from './reminders.repository.ts';

/** Used when a member turns reminders on without a time. */
const DEFAULT_REMIND_AT = '18:00';

type MemberKey = { platform: Platform; workspaceId: string; userId: string };

/** The drills a reminder is about: the member's (drillsOfMember) that are running. */
async function activeDrillsOf(deps: StudyDeps, member: MemberKey): Promise<Drill[]> {
  return (await drillsOfMember(deps.db, member)).map(drillFromRow).filter((d) => d.status === 'active');
}

/** The zone a member's reminder time is read in: their first drill's, else their own, else the workspace's. */
async function reminderZone(
  deps: StudyDeps,
  member: MemberKey,
  drills: { timezone: string }[],
  own: string | null,
): Promise<string> {
  return drills[0]?.timezone ?? own ?? (await workspaceTimezone(deps.db, member)) ?? deps.defaultTimezone;
}

export async function setReminderFor(deps: StudyDeps, user: UserRef, enabled: boolean, at?: string) {
  await setReminder(deps.db, user, enabled, at ?? null, deps.clock.now());
  const drills = await activeDrillsOf(deps, user);
  const member = await findMember(deps.db, user);
  const time = member?.remind_at ?? DEFAULT_REMIND_AT;
  if (enabled && !member?.remind_at) await setReminder(deps.db, user, true, time, deps.clock.now());
  const zones = drills.map((d) => d.schedule);
  const timezone = await reminderZone(deps, user, zones, member?.timezone ?? null);
  // Today's time, even when it has passed: today's reminder may still be due (the job decides on its next run).
  const due = slotFor({ timeOfDay: time, timezone }, localDateOf(deps.clock.now(), timezone));
  await setReminderDue(deps.db, user, enabled ? due : null);
  return { time, timezone };
}

export function reminderMessage(pending: { channel: ChannelRef; streak: number }[]): OutboundMessage {
  const best = Math.max(...pending.map((p) => p.streak));
  const where = pending.map((p) => channelRef(p.channel)).join(', ');
  const keep = best > 0 ? ` to keep your ${best}-day streak` : '';
  const text = `Today's drill is still waiting for you in ${where}: answer it${keep}. /roadmap today shows it.`;
  return {
    text,
    card: {
      title: '🔥 Your daily drill is open',
      sections: [{ body: text }],
      footer: '/roadmap remind off stops these reminders',
    },
  };
}

const memberOf = (row: DueMember): MemberKey => ({
  platform: row.platform,
  workspaceId: row.workspace_id,
  userId: row.user_id,
});

/** A run's counts; `checked` is the members it read, which are only those due. */
interface ReminderReport extends JobReport {
  checked: number;
  sent: number;
  failed: number;
  /** Members with a drill still unanswered at their time. */
  due: number;
}

/** Members read per query. */
const BATCH = 500;

type Pending = { channel: ChannelRef; streak: number }[];

/**
 * Today's drills the member has not answered yet, and when to look again if none is waiting for them: a
 * drill whose delivery has not opened today may still open (at its time, or late after downtime).
 */
async function pendingDrills(
  deps: StudyDeps,
  member: MemberKey,
  drills: readonly Drill[],
  now: Date,
): Promise<{ pending: Pending; lookAgainAt?: Date }> {
  const pending: Pending = [];
  let lookAgainAt: Date | undefined;
  for (const drill of drills) {
    const today = localDateOf(now, drill.schedule.timezone);
    const found = await findDeliveryByDate(deps.db, drill.id, today);
    if (!found) {
      const opensAt = await mayOpenAt(deps, drill, today);
      // Already due and still not open (downtime, a late catch-up): the next run looks again.
      const at = opensAt && new Date(Math.max(opensAt.getTime(), now.getTime() + 1));
      if (at && (!lookAgainAt || at < lookAgainAt)) lookAgainAt = at;
      continue;
    }
    if (!isOpen(deliveryFromRow(found), now)) continue;
    if (await findDeliveryAnswer(deps.db, found.id, member.userId)) continue;
    pending.push({ channel: drill.channel, streak: (await streakFor(deps, drill, member.userId)).current });
  }
  return lookAgainAt ? { pending, lookAgainAt } : { pending };
}

/** When the drill's delivery for `today` opens if it has yet to, or undefined when it will not open today. */
async function mayOpenAt(deps: StudyDeps, drill: Drill, today: string): Promise<Date | undefined> {
  const slot = slotFor(drill.schedule, today);
  // Slots before a schedule change never open (see currentDelivery).
  if (!isStudyWeekday(drill.schedule, today) || slot < drill.scheduleChangedAt) return undefined;
  if ((await listSkips(deps.db, drill.id, today)).has(today)) return undefined;
  const cards = (await trackFor(deps, drill.trackId)).cards.length;
  if (drill.cohortId !== null && (await cohortCardIndex(deps, drill, today, cards)) === null)
    return undefined;
  return slot;
}

/**
 * Reminds one member if their reminder is due at `now`; returns when the job should look at them next: at
 * their time tomorrow once today is settled (sent, failed, or nothing left to answer), earlier while today's
 * time is still to come or a drill of theirs may still open today.
 */
async function remindMember(
  deps: StudyDeps,
  row: DueMember,
  now: Date,
  publisher: Publisher,
  result: ReminderReport,
): Promise<Date> {
  const member = memberOf(row);
  const at = { ...deps, clock: { now: () => now } };
  const drills = await activeDrillsOf(deps, member);
  const timezone = await reminderZone(
    deps,
    member,
    drills.map((d) => d.schedule),
    row.timezone,
  );
  const time = { timeOfDay: row.remind_at ?? DEFAULT_REMIND_AT, timezone };
  const localDate = localDateOf(now, timezone);
  const remindAt = slotFor(time, localDate);
  if (remindAt > now) return remindAt;
  const tomorrow = slotFor(time, addDays(localDate, 1));
  const { pending, lookAgainAt } = await pendingDrills(at, member, drills, now);
  if (!pending.length) return lookAgainAt && lookAgainAt < tomorrow ? lookAgainAt : tomorrow;
  result.due += 1;
  const key = { platform: member.platform, workspace_id: member.workspaceId, user_id: member.userId };
  if (!(await reminderClaims.claim(deps.db, { ...key, local_date: localDate, claimed_at: now })))
    return tomorrow;
  const finish = (status: 'sent' | 'failed', error: string | null) =>
    reminderClaims.finish(
      deps.db,
      { ...key, local_date: localDate },
      // After the run's `now`: the send took time.
      { status, last_error: error, finished_at: deps.clock.now() },
    );
  try {
    await publisher.sendDirect(member, reminderMessage(pending));
    await finish('sent', null);
    result.sent += 1;
  } catch (err) {
    await finish('failed', err instanceof Error ? err.message : String(err));
    deps.log.warn({ err, userId: member.userId }, 'reminder not delivered');
    result.failed += 1;
  }
  return tomorrow;
}

export function createReminderJob(deps: StudyDeps): ScheduledJob {
  return {
    name: 'streak-reminders',
    async run(now: Date, publishers: Publishers): Promise<JobReport> {
      const result: ReminderReport = { checked: 0, sent: 0, failed: 0, due: 0 };
      await eachDue<DueMember>(
        (after) => membersDueForReminder(deps.db, now, [...publishers.keys()], after, BATCH),
        BATCH,
        async (row) => {
          result.checked += 1;
          const next = await remindMember(deps, row, now, publishers.get(row.platform)!, result);
          await setReminderDue(deps.db, memberOf(row), next);
        },
        (row, err) => deps.log.error({ err, userId: row.user_id }, 'could not handle a reminder'),
      );
      return result;
    },
  };
}
