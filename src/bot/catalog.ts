/** The /roadmap command table: every subcommand and group, in the order help lists them. */

import {
  answer,
  leaderboard,
  me,
  privacy,
  quiz,
  review,
  streak,
  today,
  topics,
} from '../answers/commands.ts';
import { cohort } from '../cohorts/commands.ts';
import { team } from '../cohorts/team-commands.ts';
import type { CommandEntry } from '../core/commands/define.ts';
import { help } from '../core/commands/help.ts';
import { managers } from '../members/commands.ts';
import { remind } from '../reminders/commands.ts';
import { drill, schedule } from '../schedules/commands.ts';
import type { CoreServices } from './services.ts';

export const COMMAND_NAME = 'roadmap';

export function commandEntries(): CommandEntry<CoreServices>[] {
  return [
    today,
    quiz,
    review,
    answer,
    me,
    streak,
    leaderboard,
    topics,
    privacy,
    schedule,
    drill,
    remind,
    cohort,
    team,
    managers,
    help,
  ] as CommandEntry<CoreServices>[];
}
