/** `team create|add|remove|join|list` inside a channel (or its cohort). */

import { commandBuilder } from '../core/commands/define.ts';
import { managerCommand, memberName, nameList, namesOf } from '../core/render/text.ts';
import { plain } from '../core/types.ts';
import { type Services, transactionally } from '../db/deps.ts';
import { teamJoinForm } from './forms.ts';
import { addToTeam, createTeam, joinTeam, removeFromTeam, teamsOf } from './teams.ts';

const { subcommand, group } = commandBuilder<Services>();

const teamName = {
  name: 'team',
  type: 'string',
  required: true,
  maxLength: 60,
  description: 'The team name',
  suggest: 'teams',
} as const;

const create = subcommand({
  name: 'create',
  description: 'Create a team in this channel, optionally with members.',
  options: [
    { name: 'name', type: 'string', required: true, maxLength: 60, description: 'The team name, e.g. Blue' },
    { name: 'members', type: 'users', description: 'Members to put in it' },
  ] as const,
  access: 'manager',
  visibility: 'public',
  examples: ['team create Blue @ana @ben'],
  async handler({ invocation, services }, args) {
    const r = await transactionally(services.deps, (d) =>
      createTeam(d, invocation.channel, invocation.user.userId, args.name, args.members ?? []),
    );
    const who = args.members?.length
      ? ` with ${nameList(
          args.members.map((m) => m.userId),
          namesOf(args.members),
        )}`
      : '';
    return {
      ...plain(
        `Team **${r.team.name}** is on${who}. Others join with \`/roadmap team join ${r.team.name}\`.`,
      ),
      visibility: 'public',
    };
  },
});

const add = subcommand({
  name: 'add',
  description: 'Put members in a team; members of another team here move (one team per member per channel).',
  options: [
    teamName,
    { name: 'members', type: 'users', required: true, description: 'The members to add' },
  ] as const,
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['team add Blue @cy @dee'],
  async handler({ invocation, services }, args) {
    const r = await transactionally(services.deps, (d) =>
      addToTeam(d, invocation.channel, args.team, args.members),
    );
    const n = namesOf(args.members);
    const lines = [
      `${nameList(
        args.members.map((m) => m.userId),
        n,
      )} ${args.members.length === 1 ? 'is' : 'are'} in **${r.team.name}**.`,
    ];
    for (const m of r.moved)
      lines.push(`${memberName({ userId: m.userId, displayName: n.get(m.userId) })} moved from ${m.from}.`);
    return plain(lines.join(' '));
  },
});

const remove = subcommand({
  name: 'remove',
  description: 'Take members out of their team in this channel.',
  options: [
    { name: 'members', type: 'users', required: true, description: 'The members to remove' },
  ] as const,
  access: 'manager',
  visibility: 'ephemeral',
  async handler({ invocation, services }, args) {
    const r = await removeFromTeam(
      services.deps,
      invocation.channel,
      args.members.map((m) => m.userId),
    );
    const n = namesOf(args.members);
    const lines = [];
    if (r.removed.length) lines.push(`${nameList(r.removed, n)} left their team.`);
    if (r.absent.length)
      lines.push(`${nameList(r.absent, n)} ${r.absent.length === 1 ? 'was' : 'were'} in no team here.`);
    return plain(lines.join(' '));
  },
});

const join = subcommand({
  name: 'join',
  description: 'Join a team in this channel.',
  options: [teamName],
  access: 'all',
  visibility: 'ephemeral',
  examples: ['team join Blue'],
  form: ({ services, invocation }) => teamJoinForm(services.deps, invocation),
  async handler({ invocation, services }, args) {
    const r = await transactionally(services.deps, (d) =>
      joinTeam(d, invocation.user, invocation.channel, args.team),
    );
    return plain(
      r.already ? `You are already in **${r.team.name}**.` : `You joined **${r.team.name}**. Go team!`,
    );
  },
});

const list = subcommand({
  name: 'list',
  description: "This channel's teams and their members.",
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const teams = await teamsOf(services.deps, invocation.channel);
    if (!teams.length)
      return plain(`This channel has no teams yet: ${managerCommand('team create')} <name>.`);
    const body = teams
      .map(
        (t) => `**${t.name}** (${t.members.length}): ${t.members.map(memberName).join(', ') || 'nobody yet'}`,
      )
      .join('\n');
    return { text: body, card: { title: 'Teams', sections: [{ body }] }, visibility: 'ephemeral' };
  },
});

export const team = group({
  name: 'team',
  description: 'Teams in this channel: create, add, remove, join, list.',
  subcommands: [create, add, remove, join, list],
});
