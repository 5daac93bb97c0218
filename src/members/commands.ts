/** `managers add|remove|list`: who besides platform admins may run manager commands. */

import { commandBuilder } from '../core/commands/define.ts';
import { managerCommand, nameList } from '../core/render/text.ts';
import { plain } from '../core/types.ts';
import type { Services } from '../db/deps.ts';
import { transactionally } from '../db/deps.ts';
import { addManagers, grantedManagers, removeManagers } from './managers.ts';
import { setHidden } from './members.repository.ts';

const { subcommand, group } = commandBuilder<Services>();

const membersOption = (description: string) =>
  [{ name: 'members', type: 'users', required: true, description }] as const;

const add = subcommand({
  name: 'add',
  description: 'Let members manage schedules, cohorts, teams and reports (mention one or several).',
  options: membersOption('The members to make managers'),
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['managers add @ana @ben'],
  async handler({ invocation, services }, args) {
    const r = await transactionally(services.deps, (d) => addManagers(d, invocation.user, args.members));
    const lines = [];
    if (r.added.length) lines.push(`${nameList(r.added, r.names)} can now manage.`);
    if (r.already.length) lines.push(`${nameList(r.already, r.names)} already could.`);
    return plain(lines.join(' '));
  },
});

const remove = subcommand({
  name: 'remove',
  description: 'Take manager rights back from granted members (platform admins stay managers).',
  options: membersOption('The members to remove as managers'),
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['managers remove @ben'],
  async handler({ invocation, services }, args) {
    const r = await removeManagers(services.deps, invocation.user, args.members);
    const lines = [];
    if (r.removed.length) lines.push(`${nameList(r.removed, r.names)} can no longer manage.`);
    if (r.notGranted.length)
      lines.push(
        `${nameList(r.notGranted, r.names)} had not been granted (${services.platformAdmins(invocation.user.platform)} are managers by their role).`,
      );
    return plain(lines.join(' '));
  },
});

const list = subcommand({
  name: 'list',
  description: 'Who may manage in this workspace: who to ask.',
  options: [],
  access: 'all',
  visibility: 'ephemeral',
  async handler({ invocation, services }) {
    const granted = await grantedManagers(services.deps, invocation.user);
    const lines = granted.map(
      (g) => `- **${g.displayName}** (granted ${g.grantedAt.toISOString().slice(0, 10)})`,
    );
    const body = `${services.platformAdmins(invocation.user.platform)} are managers by their role.\n${
      lines.length
        ? `Granted:\n${lines.join('\n')}`
        : `Nobody else has been granted yet: ${managerCommand('managers add')} @member.`
    }`;
    return {
      text: body,
      card: { title: 'Managers', sections: [{ body }] },
      visibility: 'ephemeral',
    };
  },
});

export const managers = group({
  name: 'managers',
  description: 'Who may manage: add, remove, list.',
  subcommands: [add, remove, list],
});

const privacyOption = [
  {
    name: 'mode',
    type: 'choice',
    choices: ['hide', 'show'],
    required: true,
    description: 'hide or show yourself on public boards',
  },
] as const;

export const privacy = subcommand({
  name: 'privacy',
  description: 'Hide or show yourself on public leaderboards (your team keeps your points).',
  options: privacyOption,
  access: 'all',
  visibility: 'ephemeral',
  examples: ['privacy hide'],
  async handler({ invocation, services }, args) {
    await setHidden(services.deps.db, invocation.user, args.mode === 'hide', services.deps.clock.now());
    return plain(
      args.mode === 'hide'
        ? 'You are now hidden from public leaderboards. Your answers, streak and team points still count; cohort reports still list you.'
        : 'You are visible on public leaderboards again.',
    );
  },
});
