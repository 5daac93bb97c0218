/** The form `cohort create` opens when given no options (and the "Start a cohort" button). */
import { localDateOf } from '../core/calendar.ts';
import { WEEKDAYS } from '../core/commands/options.ts';
import { UserFacingError } from '../core/errors.ts';
import { daysField, timezoneField } from '../core/forms.ts';
import type { CommandInvocation } from '../core/invocation.ts';
import { managerCommand } from '../core/render/text.ts';
import type { Form } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { getDrill } from '../deliveries/deliveries.ts';
import { formTimezone } from '../schedules/forms.ts';
import { teamsOf } from './teams.ts';

/** Most important first. Discord's modal shows five fields: the first study day and the time share one box there. */
export async function cohortForm(deps: StudyDeps, inv: CommandInvocation): Promise<Form> {
  const drill = await getDrill(deps, inv.channel);
  const zone = await formTimezone(deps, inv, drill?.schedule.timezone);
  return {
    id: 'cohort create',
    title: 'Start a cohort',
    submitLabel: 'Start cohort',
    fields: [
      {
        id: 'name',
        label: 'Cohort name',
        kind: 'text',
        required: true,
        maxLength: 80,
        placeholder: 'Backend Q1',
      },
      {
        id: 'start',
        label: 'First study day',
        kind: 'date',
        initial: localDateOf(deps.clock.now(), zone),
        required: true,
      },
      {
        id: 'weeks',
        label: 'Length in weeks (optional)',
        kind: 'text',
        maxLength: 3,
        placeholder: '12',
        hint: 'Empty: the whole track',
      },
      daysField('days', 'Study days', drill?.schedule.days ?? WEEKDAYS),
      timezoneField('tz', 'Time zone', zone),
      {
        id: 'time',
        label: 'Post the card at',
        kind: 'time',
        initial: drill?.schedule.timeOfDay ?? '09:00',
        required: false,
      },
    ],
  };
}

/** `team join` with no options: a select of this channel's teams (at most 25, the most a Discord select holds). */
export async function teamJoinForm(deps: StudyDeps, inv: CommandInvocation): Promise<Form> {
  const teams = (await teamsOf(deps, inv.channel)).slice(0, 25);
  if (!teams.length)
    throw new UserFacingError(
      'NOT_FOUND',
      `This channel has no teams yet: a manager creates them with ${managerCommand('team create')} <name>.`,
    );
  return {
    id: 'team join',
    title: 'Join a team',
    submitLabel: 'Join',
    fields: [
      {
        id: 'team',
        label: 'Team',
        kind: 'select',
        required: true,
        choices: teams.map((t) => ({ value: t.name, label: `${t.name} (${t.members.length})` })),
      },
    ],
  };
}
