/** Manager commands for a channel's drill: `schedule set|show|pause|resume|skip` and `drill now`. */
import { DateTime } from 'luxon';
import { commandBuilder } from '../core/commands/define.ts';
import { DAYS_EXAMPLES, formatDays } from '../core/commands/options.ts';
import { managerCommand } from '../core/render/text.ts';
import { untilWords } from '../core/render/time.ts';
import { type OutboundMessage, plain } from '../core/types.ts';
import type { Services } from '../db/deps.ts';
import { reviewModeOf } from '../deliveries/review-days.ts';
import type { Delivery, Drill } from '../plans/model.ts';
import { scheduleForm } from './forms.ts';
import { drillNow, pauseSchedule, resumeSchedule, setSchedule, showSchedule, skipNext } from './schedules.ts';

const { subcommand, group } = commandBuilder<Services>();

const REVIEW_WORDS = {
  auto: "auto (every 5th study day, or when the channel's recall falls below 85%)",
  weekly: 'weekly (the first study day of each week)',
  off: 'off',
} as const;

function describe(drill: Drill): string {
  const reveal = drill.revealTime ? `, answer revealed at ${drill.revealTime}` : '';
  return `${drill.schedule.timeOfDay} ${formatDays(drill.schedule.days)} (${drill.schedule.timezone}), track \`${drill.trackId}\`${reveal}`;
}

const set = subcommand({
  name: 'set',
  description: "Set this channel's drill time, days, time zone and track.",
  options: [
    { name: 'time', type: 'time', required: true, description: 'Local time, 24-hour HH:MM' },
    {
      name: 'days',
      type: 'days',
      description: `Study days, e.g. ${DAYS_EXAMPLES} (default mon-fri)`,
    },
    { name: 'tz', type: 'timezone', description: "IANA time zone (default: the workspace's)" },
    {
      name: 'track',
      type: 'string',
      maxLength: 40,
      suggest: 'tracks',
      description: 'Track id (default: backend)',
    },
    {
      name: 'reveal',
      type: 'time',
      clearable: true,
      description:
        'Reveal the answer at this local time, after the drill time; none: when the next drill opens (the default)',
    },
    {
      name: 'review',
      type: 'choice',
      choices: ['auto', 'weekly', 'off'],
      description: 'Review days: auto (every 5th study day, or when recall falls below 85%), weekly, or off',
    },
  ],
  access: 'manager',
  visibility: 'public',
  examples: [
    'schedule set 09:30',
    'schedule set 09:30 mon,wed,fri Europe/Berlin',
    'schedule set 09:00 tuesdays',
    'schedule set time:08:45 days:daily tz:America/New_York reveal:17:00',
    'schedule set 08:45 reveal:none',
    'schedule set 09:00 review:weekly',
  ],
  form: ({ services, invocation }) => scheduleForm(services.deps, invocation),
  async handler({ invocation, services, clock }, args) {
    const drill = await setSchedule(services.deps, invocation.channel, invocation.user, {
      timeOfDay: args.time,
      days: args.days,
      timezone: args.tz,
      trackId: args.track,
      revealTime: args.reveal === 'none' ? null : args.reveal,
      reviewMode: args.review,
    });
    const view = await showSchedule(services.deps, invocation.channel);
    const next = view.next
      ? ` The first drill opens ${view.next.localDate} at ${drill.schedule.timeOfDay} (${untilWords(clock.now(), view.next.at)}).`
      : '';
    return plain(
      `📅 ${invocation.user.displayName} scheduled this channel's drill: ${describe(drill)}.${next}`,
      'public',
    );
  },
});

const show = subcommand({
  name: 'show',
  description: "Show this channel's schedule, the next drill and any pause.",
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services, clock }) {
    const view = await showSchedule(services.deps, invocation.channel);
    const { drill } = view;
    const lines = [`**Schedule:** ${describe(drill)}`];
    if (drill.status === 'paused')
      lines.push(
        `**Paused:** ${drill.pauseReason ?? 'no reason given'}. Resume with \`${managerCommand('schedule resume')}\`.`,
      );
    else if (view.next) {
      const local = DateTime.fromJSDate(view.next.at, { zone: drill.schedule.timezone }).toFormat(
        'ccc d LLL yyyy, HH:mm',
      );
      lines.push(
        `**Next drill:** ${local} ${drill.schedule.timezone} (${untilWords(clock.now(), view.next.at)})`,
      );
    }
    if (view.skips.length > 0) lines.push(`**Skipping:** ${view.skips.join(', ')}`);
    lines.push(`**Progress:** ${drill.position} of ${view.cardCount} cards posted`);
    lines.push(`**Review days:** ${REVIEW_WORDS[reviewModeOf(drill)]}`);
    return plain(lines.join('\n'));
  },
});

const pause = subcommand({
  name: 'pause',
  description: "Pause this channel's drill; paused days do not count against streaks.",
  options: [],
  access: 'manager',
  visibility: 'public',
  async handler({ invocation, services }) {
    await pauseSchedule(services.deps, invocation.channel, invocation.user);
    return plain(
      `⏸️ ${invocation.user.displayName} paused this channel's drill. Resume with ${managerCommand('schedule resume')}.`,
      'public',
    );
  },
});

const resume = subcommand({
  name: 'resume',
  description: "Resume this channel's drill from the next study day.",
  options: [],
  access: 'manager',
  visibility: 'public',
  async handler({ invocation, services, clock }) {
    await resumeSchedule(services.deps, invocation.channel);
    services.events.scheduleDue();
    const view = await showSchedule(services.deps, invocation.channel);
    const next = view.next
      ? ` Next drill: ${view.next.localDate} (${untilWords(clock.now(), view.next.at)}).`
      : '';
    return plain(`▶️ ${invocation.user.displayName} resumed this channel's drill.${next}`, 'public');
  },
});

const skip = subcommand({
  name: 'skip',
  description: 'Skip the next study day (it does not count against streaks).',
  options: [],
  access: 'manager',
  visibility: 'public',
  async handler({ invocation, services }) {
    const date = await skipNext(services.deps, invocation.channel, invocation.user);
    return plain(
      `⏭️ ${invocation.user.displayName} skipped the drill on ${date}; it does not count against streaks.`,
      'public',
    );
  },
});

export const schedule = group({
  name: 'schedule',
  description: "This channel's drill schedule.",
  subcommands: [set, show, pause, resume, skip],
});

/** The local day a date falls on, for people: "Sat 21 Nov". */
const dayName = (localDate: string) => DateTime.fromISO(localDate).toFormat('ccc d LLL');

/** What happened to today's existing delivery, said plainly: a drill posts once per day. */
function existingReply(d: Delivery, schedule: Drill['schedule']): string {
  const which = `Today's drill (day ${d.studyDay}, ${d.localDate})`;
  const opened = DateTime.fromJSDate(d.opensAt, { zone: schedule.timezone }).toFormat('HH:mm');
  switch (d.postStatus) {
    case 'posted':
      return `${which} is already posted in this channel${d.messageId ? ` (message ${d.messageId})` : ''}; a drill posts once per day. /roadmap today shows it.`;
    case 'pending':
    case 'posting':
      return `${which} opened at ${opened} ${schedule.timezone} and is being posted in this channel now; a drill posts once per day.`;
    case 'not_posted':
      return `${which} opened at ${opened} ${schedule.timezone} but was too late to post, so nothing posts today; members can still answer it with /roadmap today.`;
    case 'failed':
      return `Posting ${which.charAt(0).toLowerCase()}${which.slice(1)} failed, and a drill posts once per day, so nothing posts today; members can still answer it with /roadmap today.`;
  }
}

const now = subcommand({
  name: 'now',
  description: "Post today's drill in this channel now (still once per day); says so when nothing will post.",
  options: [],
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services, clock }): Promise<OutboundMessage> {
    const outcome = await drillNow(services.deps, invocation.channel);
    const { schedule } = outcome.drill;
    switch (outcome.kind) {
      case 'opened':
        services.events.scheduleDue();
        return plain(
          `Posting today's drill (day ${outcome.delivery.studyDay}, ${outcome.delivery.localDate}) in this channel now.`,
        );
      case 'exists':
        if (outcome.delivery.postStatus === 'pending' || outcome.delivery.postStatus === 'posting')
          services.events.scheduleDue();
        return plain(existingReply(outcome.delivery, schedule));
      case 'not-study-day': {
        const why = outcome.skipped
          ? 'is skipped, so nothing posts and it counts against nobody’s streak'
          : `is not a study day of this channel's drill (${formatDays(schedule.days)}), so nothing posts`;
        return plain(
          `Today (${dayName(outcome.today)}, ${outcome.today}) ${why}. The next drill opens ${dayName(outcome.next.localDate)} at ${schedule.timeOfDay} ${schedule.timezone} (${untilWords(clock.now(), outcome.next.at)}).`,
        );
      }
      case 'cohort-upcoming':
        return plain(
          `The cohort **${outcome.cohortName}** starts on ${outcome.startsOn}, so nothing posts before then; its first drill posts that day at ${schedule.timeOfDay} ${schedule.timezone}.`,
        );
      case 'cohort-finished':
        return plain(
          `The cohort **${outcome.cohortName}** finished on ${outcome.endsOn}, so nothing more posts. End it with ${managerCommand('cohort end')}, then start another or resume a plain drill.`,
        );
    }
  },
});

export const drill = group({
  name: 'drill',
  description: "Today's drill in this channel.",
  subcommands: [now],
});
