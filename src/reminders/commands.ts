/** `remind on|off [HH:MM]`: a member's own streak reminder. */

import { commandBuilder } from '../core/commands/define.ts';
import { plain } from '../core/types.ts';
import { type Services, transactionally } from '../db/deps.ts';
import { setReminderFor } from './reminders.ts';

const { subcommand } = commandBuilder<Services>();

export const remind = subcommand({
  name: 'remind',
  description:
    "A direct message at your chosen time when today's drill is still unanswered (at most once a day).",
  options: [
    { name: 'mode', type: 'choice', choices: ['on', 'off'], required: true, description: 'on or off' },
    { name: 'time', type: 'time', description: 'Local time of the reminder (default 18:00)' },
  ] as const,
  access: 'all',
  visibility: 'ephemeral',
  examples: ['remind on 17:30', 'remind off'],
  async handler({ invocation, services }, args) {
    const on = args.mode === 'on';
    const r = await transactionally(services.deps, (d) => setReminderFor(d, invocation.user, on, args.time));
    return plain(
      on
        ? `Reminders on: at ${r.time} ${r.timezone} on days your drill is still unanswered. /roadmap remind off stops them.`
        : 'Reminders off.',
    );
  },
});
