/**
 * Streak reminders (opt-in): a direct message at the member's chosen local time when today's drill in their
 * channels is still unanswered. A row per (member, local day) is the claim: at most one reminder a day,
 * whatever the instances and restarts; a failed send is recorded, never retried.
 */

import { findDeliveryAnswer } from '../answers/answers.repository.ts';
import { streakFor } from '../answers/streak-service.ts';
import { localDateOf, slotFor } from '../core/calendar.ts';
import type { JobReport, ScheduledJob } from '../core/jobs.ts';
import type { Publishers } from '../core/outbound.ts';
import { channelRef } from '../core/render/text.ts';
import type { ChannelRef, OutboundMessage, Platform, UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { findDeliveryByDate } from '../deliveries/deliveries.repository.ts';
import { setReminder } from '../members/managers.repository.ts';
import { findMember, workspaceTimezone } from '../members/members.repository.ts';
import { deliveryFromRow, drillFromRow, isOpen } from '../plans/model.ts';
import {
  claimReminder,
  drillsOfMember,
  finishReminder,
  membersWithReminders,
} from './reminders.repository.ts';

/** Used when a member turns reminders on without a time. */
export const DEFAULT_REMIND_AT = '18:00';

type MemberKey = { platform: Platform; workspaceId: string; userId: string };

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
  const drills = await drillsOfMember(deps.db, user);
  const member = await findMember(deps.db, user);
  const time = member?.remind_at ?? DEFAULT_REMIND_AT;
  if (enabled && !member?.remind_at) await setReminder(deps.db, user, true, time, deps.clock.now());
  return { time, timezone: await reminderZone(deps, user, drills, member?.timezone ?? null) };
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

export function createReminderJob(deps: StudyDeps): ScheduledJob {
  return {
    name: 'streak-reminders',
    async run(now: Date, publishers: Publishers): Promise<JobReport> {
      const at = { ...deps, clock: { now: () => now } };
      const { clock } = deps; // a reminder finishes after the run's `now`
      const result = { sent: 0, failed: 0, due: 0 };
      for (const row of await membersWithReminders(deps.db)) {
        const member: MemberKey = {
          platform: row.platform,
          workspaceId: row.workspace_id,
          userId: row.user_id,
        };
        const publisher = publishers.get(member.platform);
        if (!publisher) continue;
        const drills = (await drillsOfMember(deps.db, member)).map(drillFromRow);
        const zone = await reminderZone(
          deps,
          member,
          drills.map((d) => d.schedule),
          row.timezone,
        );
        const localDate = localDateOf(now, zone);
        const remindAt = slotFor(
          { timeOfDay: row.remind_at ?? DEFAULT_REMIND_AT, timezone: zone },
          localDate,
        );
        if (remindAt.getTime() > now.getTime()) continue;
        const pending: { channel: ChannelRef; streak: number }[] = [];
        for (const drill of drills) {
          const found = await findDeliveryByDate(
            deps.db,
            drill.id,
            localDateOf(now, drill.schedule.timezone),
          );
          if (!found || !isOpen(deliveryFromRow(found), now)) continue;
          if (await findDeliveryAnswer(deps.db, found.id, member.userId)) continue;
          pending.push({
            channel: drill.channel,
            streak: (await streakFor(at, drill, member.userId)).current,
          });
        }
        if (!pending.length) continue;
        result.due += 1;
        if (!(await claimReminder(deps.db, member, localDate, now))) continue;
        try {
          await publisher.sendDirect(member, reminderMessage(pending));
          await finishReminder(deps.db, member, localDate, { status: 'sent', error: null, at: clock.now() });
          result.sent += 1;
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          await finishReminder(deps.db, member, localDate, { status: 'failed', error, at: clock.now() });
          deps.log.warn({ err, userId: member.userId }, 'reminder not delivered');
          result.failed += 1;
        }
      }
      return result;
    },
  };
}
