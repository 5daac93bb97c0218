/** `cohort create|list|show|add|remove|join|end|report|export`: study programmes a manager runs and reads. */

import { cohortReportChart, withChart } from '../charts/index.ts';
import { commandBuilder } from '../core/commands/define.ts';
import { UserFacingError } from '../core/errors.ts';
import { channelRef, managerCommand, memberName, nameList, namesOf } from '../core/render/text.ts';
import { type ChannelRef, type OutboundMessage, plain, type UserRef } from '../core/types.ts';
import { type Services, type StudyDeps, transactionally } from '../db/deps.ts';
import { isManager } from '../members/managers.ts';
import { addMembers, joinCohort, removeMembers, roster } from '../plans/cohort-roster.ts';
import {
  cohortById,
  cohortContext,
  findCohort,
  finishCohort,
  listCohortsOf,
  progressOf,
} from '../plans/cohorts.ts';
import { cohortForm } from './forms.ts';
import { cohortAnnouncement, dayLine, paceLine, reportMessage } from './messages.ts';
import {
  buildCohortReport,
  cohortCsv,
  loadReportInput,
  moduleFigures,
  participationDays,
} from './reports.ts';
import { startCohort } from './start.ts';

const { subcommand, group } = commandBuilder<Services>();

const nameOption = [
  {
    name: 'name',
    type: 'string',
    maxLength: 80,
    description: "The cohort's name (default: this channel's)",
    suggest: 'cohorts',
  },
] as const;
const membersOption = (description: string) =>
  [{ name: 'members', type: 'users', required: true, description }] as const;

const create = subcommand({
  name: 'create',
  description:
    "Start a cohort in this channel: a name, a start date and a pace; the channel's drill follows it.",
  options: [
    { name: 'name', type: 'string', required: true, maxLength: 80, description: 'A name, e.g. "Backend Q1"' },
    { name: 'start', type: 'date', required: true, description: 'The first study day, YYYY-MM-DD' },
    {
      name: 'weeks',
      type: 'integer',
      min: 1,
      max: 104,
      description: 'Length in weeks (default: the whole track)',
    },
    {
      name: 'days',
      type: 'days',
      description: "Study days, e.g. mon-fri (default: the drill's, or mon-fri)",
    },
    {
      name: 'time',
      type: 'time',
      description: "Local time of the daily card (default: the drill's, or 09:00)",
    },
    { name: 'tz', type: 'timezone', description: "IANA time zone (default: the drill's or the workspace's)" },
    {
      name: 'track',
      type: 'string',
      maxLength: 40,
      suggest: 'tracks',
      description: 'Curriculum (default: backend)',
    },
  ] as const,
  access: 'manager',
  visibility: 'public',
  examples: ['cohort create "Backend Q1" start:2026-12-01 weeks:12 days:mon-fri time:09:30 tz:Europe/Berlin'],
  form: ({ services, invocation }) => cohortForm(services.deps, invocation),
  async handler({ invocation, services }, args) {
    const { ctx, openedNow, postedToday } = await startCohort(
      services.deps,
      invocation.channel,
      invocation.user.userId,
      args,
    );
    if (openedNow) services.events.scheduleDue();
    return cohortAnnouncement(ctx, progressOf(ctx), openedNow, postedToday);
  },
});

/**
 * Members see the cohorts of the channel they ask in (what concerns them); managers see the workspace's.
 * Nobody but managers sees report figures: rosters, dates and pace are what members may read.
 */
export async function visibleCohorts(deps: StudyDeps, user: UserRef, channel: ChannelRef) {
  const all = await listCohortsOf(deps, user);
  if (await isManager(deps, user)) return all;
  return all.filter((c) => c.channel.channelId === channel.channelId);
}

const list = subcommand({
  name: 'list',
  description: 'The cohorts of this channel (managers: of the whole workspace), active ones first.',
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const cohorts = await visibleCohorts(services.deps, invocation.user, invocation.channel);
    if (!cohorts.length)
      return plain(`No cohorts yet. Start one in a channel with ${managerCommand('cohort create')}.`);
    const lines = cohorts.map(
      (c) =>
        `- **${c.name}** in ${channelRef(c.channel)} · ${c.status} · ${c.startsOn} to ${c.endsOn ?? 'end of track'} · ${c.members} member${c.members === 1 ? '' : 's'}`,
    );
    return {
      text: lines.join('\n'),
      card: { title: 'Cohorts', sections: [{ body: lines.join('\n') }] },
      visibility: 'ephemeral',
    };
  },
});

const show = subcommand({
  name: 'show',
  description: "A cohort's roster, dates, pace and today's study day.",
  options: nameOption,
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }, args) {
    // A member reads the cohorts of the channel they ask in; another channel's may be private to them.
    const thisChannelOnly = !(await isManager(services.deps, invocation.user));
    const ctx = await cohortContext(
      services.deps,
      await findCohort(services.deps, invocation.channel, args.name, { thisChannelOnly }),
    );
    const progress = progressOf(ctx);
    const members = await roster(services.deps, ctx.cohort);
    const rosterLines = members.map(
      (m) => `- ${memberName(m)}${m.joinedOn > ctx.cohort.startsOn ? ` (joined ${m.joinedOn})` : ''}`,
    );
    const card = {
      title: `${ctx.cohort.name}${ctx.cohort.status === 'ended' ? ' (ended)' : ''}`,
      sections: [
        { body: `${dayLine(ctx, progress)}.` },
        {
          heading: `Roster (${members.length})`,
          body:
            rosterLines.join('\n') ||
            `Nobody yet: ${managerCommand('cohort add')} @member or the join button.`,
        },
      ],
      fields: [
        { label: 'Dates', value: `${ctx.cohort.startsOn} to ${ctx.calendar.endsOn}`, inline: true },
        { label: 'Pace', value: paceLine(ctx), inline: true },
        { label: 'Study days', value: `${progress.done} of ${progress.total} done`, inline: true },
      ],
    };
    return {
      text: `${card.title}: ${dayLine(ctx, progress)}. ${members.length} member${members.length === 1 ? '' : 's'}.`,
      card,
      visibility: 'ephemeral',
    };
  },
});

const add = subcommand({
  name: 'add',
  description: "Enrol members in this channel's cohort (mention one or several); they start on today's card.",
  options: membersOption('The members to enrol'),
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['cohort add @ana @ben @cy'],
  async handler({ invocation, services }, args) {
    const ctx = await cohortContext(
      services.deps,
      await findCohort(services.deps, invocation.channel, undefined, { activeOnly: true }),
    );
    const r = await transactionally(services.deps, (d) => addMembers(d, ctx, args.members));
    const names = namesOf(args.members);
    const lines = [];
    if (r.added.length) lines.push(`${nameList(r.added, names)} joined **${ctx.cohort.name}**.`);
    if (r.already.length)
      lines.push(`${nameList(r.already, names)} ${r.already.length === 1 ? 'was' : 'were'} already in it.`);
    return plain(lines.join(' '));
  },
});

const remove = subcommand({
  name: 'remove',
  description: "Take members off this channel's cohort (their answers stay in the report's history).",
  options: membersOption('The members to remove'),
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services }, args) {
    const cohort = await findCohort(services.deps, invocation.channel, undefined, { activeOnly: true });
    const r = await removeMembers(
      services.deps,
      cohort,
      args.members.map((m) => m.userId),
    );
    const names = namesOf(args.members);
    const lines = [];
    if (r.removed.length) lines.push(`${nameList(r.removed, names)} left **${cohort.name}**.`);
    if (r.absent.length)
      lines.push(`${nameList(r.absent, names)} ${r.absent.length === 1 ? 'was' : 'were'} not in it.`);
    return plain(lines.join(' '));
  },
});

/** The reply to joining, by command (this channel's cohort) or by the join button (the cohort it names). */
export async function joinReply(
  services: Services,
  user: UserRef,
  channel: ChannelRef,
  cohortId?: number,
): Promise<OutboundMessage> {
  const cohort =
    cohortId === undefined
      ? await findCohort(services.deps, channel, undefined, { activeOnly: true })
      : await cohortById(services.deps, cohortId);
  if (!cohort) return plain('That cohort no longer exists.');
  // A Join button is bound to its cohort's channel, like an answer button to its drill's.
  const c = cohort.channel;
  if (
    c.platform !== channel.platform ||
    c.workspaceId !== channel.workspaceId ||
    c.channelId !== channel.channelId
  )
    throw new UserFacingError('NOT_FOUND', 'That cohort does not exist here.');
  const { ctx, added } = await transactionally(services.deps, (d) => joinCohort(d, user, cohort));
  const progress = progressOf(ctx);
  const when =
    progress.phase === 'upcoming'
      ? `It starts on ${ctx.cohort.startsOn}.`
      : progress.today !== null
        ? `Today is study day ${progress.today} of ${progress.total}: /roadmap today shows today's card.`
        : `${dayLine(ctx, progress)}.`;
  return plain(
    added
      ? `You joined **${ctx.cohort.name}**. ${when}`
      : `You are already in **${ctx.cohort.name}**. ${when}`,
  );
}

const join = subcommand({
  name: 'join',
  description: "Join this channel's cohort yourself.",
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  handler: ({ invocation, services }) => joinReply(services, invocation.user, invocation.channel),
});

const end = subcommand({
  name: 'end',
  description: `End a cohort: its drill pauses (resume it as a plain drill with ${managerCommand('schedule resume')}); reports stay.`,
  options: nameOption,
  access: 'manager',
  visibility: 'public',
  async handler({ invocation, services }, args) {
    const cohort = await findCohort(services.deps, invocation.channel, args.name, { activeOnly: true });
    await finishCohort(services.deps, cohort);
    return {
      ...plain(
        `The cohort **${cohort.name}** has ended. Thank you all! Managers can still read ${managerCommand('cohort report')}.`,
      ),
      visibility: 'public',
    };
  },
});

/** The named cohort (else the channel's) and the figures its report and export are made from. */
async function reportInputOf(services: Services, channel: ChannelRef, name: string | undefined) {
  const ctx = await cohortContext(services.deps, await findCohort(services.deps, channel, name));
  return { ctx, input: await loadReportInput(services.deps, ctx) };
}

const report = subcommand({
  name: 'report',
  description:
    'Participation per study day, accuracy per module, who is at risk, streaks, most improved, teams.',
  options: nameOption,
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services }, args) {
    const { ctx, input } = await reportInputOf(services, invocation.channel, args.name);
    const r = await buildCohortReport(input);
    return withChart(
      reportMessage(ctx, progressOf(ctx), r),
      () => cohortReportChart(ctx.cohort.name, participationDays(r), moduleFigures(r)),
      `cohort-${slug(ctx.cohort.name)}-${ctx.today}.png`,
      services.deps.log,
    );
  },
});

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'cohort';

const exportCsv = subcommand({
  name: 'export',
  description: 'A CSV file of member × study day: answered, correct, points.',
  options: nameOption,
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services }, args) {
    const { ctx, input } = await reportInputOf(services, invocation.channel, args.name);
    const content = await cohortCsv(input);
    const rows = content.split('\r\n').length - 2;
    return {
      text: `Export of **${ctx.cohort.name}**: ${rows} rows (one per member and study day so far).`,
      attachment: {
        filename: `cohort-${slug(ctx.cohort.name)}-${ctx.today}.csv`,
        content,
        contentType: 'text/csv',
      },
      visibility: 'ephemeral',
    };
  },
});

export const cohort = group({
  name: 'cohort',
  description: 'Cohorts: create, list, show, add, remove, join, end, report, export.',
  subcommands: [create, list, show, add, remove, join, end, report, exportCsv],
});
