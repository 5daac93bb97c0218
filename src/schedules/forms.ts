/** The form `schedule set` opens when given no options (and the "Set up a daily drill" button). */
import { WEEKDAYS } from '../core/commands/options.ts';
import { daysField, timezoneField } from '../core/forms.ts';
import type { CommandInvocation } from '../core/invocation.ts';
import type { Form } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { getDrill } from '../deliveries/deliveries.ts';
import { workspaceTimezone } from '../members/members.repository.ts';

/** The zone a setup form preselects: the member's own (Slack's tz), else the drill's, else the workspace's. */
export async function formTimezone(
  deps: StudyDeps,
  inv: CommandInvocation,
  drillZone: string | undefined,
): Promise<string> {
  return (
    (await inv.userTimezone?.().catch(() => undefined)) ??
    drillZone ??
    (await workspaceTimezone(deps.db, inv.channel)) ??
    deps.defaultTimezone
  );
}

export async function scheduleForm(deps: StudyDeps, inv: CommandInvocation): Promise<Form> {
  const drill = await getDrill(deps, inv.channel);
  const zone = await formTimezone(deps, inv, drill?.schedule.timezone);
  return {
    id: 'schedule set',
    title: 'Set up a daily drill',
    submitLabel: 'Save schedule',
    fields: [
      {
        id: 'time',
        label: 'Post the card at',
        kind: 'time',
        initial: drill?.schedule.timeOfDay ?? '09:00',
        required: true,
        hint: 'Local time, 24-hour HH:MM',
      },
      daysField('days', 'Study days', drill?.schedule.days ?? WEEKDAYS),
      timezoneField('tz', 'Time zone', zone),
      {
        id: 'reveal',
        label: 'Reveal the answer at (optional)',
        kind: 'time',
        ...(drill?.revealTime ? { initial: drill.revealTime } : {}),
        hint: 'Later the same day; empty: when the next drill opens',
      },
    ],
  };
}
