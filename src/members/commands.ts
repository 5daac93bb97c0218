/** `managers add|remove|list`: who besides platform admins may run manager commands. */

import type { CoreServices } from '../bot/services.ts';
import { commandBuilder } from '../core/commands/define.ts';
import { memberName } from '../core/render/text.ts';
import { plain } from '../deliveries/messages.ts';

const { subcommand, group } = commandBuilder<CoreServices>();

/** "**Ana**, **Ben** and **Cy**" from ids, by the names stored for them (a reference where none is). */
export function nameList(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  const shown = ids.map((id) => `**${memberName({ userId: id, displayName: names.get(id) })}**`);
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

const membersOption = (description: string) =>
  [{ name: 'members', type: 'users', required: true, description }] as const;

const add = subcommand({
  name: 'add',
  description: 'Let members manage schedules, cohorts, teams and reports (mention one or several).',
  options: membersOption('The members to make managers'),
  access: 'manager',
  visibility: 'ephemeral',
  examples: ['/roadmap managers add @ana @ben'],
  async handler({ invocation, services }, args) {
    const r = await services.study.programmes.managers.add(invocation.user, args.members);
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
  examples: ['/roadmap managers remove @ben'],
  async handler({ invocation, services }, args) {
    const r = await services.study.programmes.managers.remove(invocation.user, args.members);
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
    const granted = await services.study.programmes.managers.list(invocation.user);
    const lines = granted.map(
      (g) => `- **${g.displayName}** (granted ${g.grantedAt.toISOString().slice(0, 10)})`,
    );
    const body = `${services.platformAdmins(invocation.user.platform)} are managers by their role.\n${
      lines.length
        ? `Granted:\n${lines.join('\n')}`
        : 'Nobody else has been granted yet: /roadmap managers add @member.'
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
