/** The /roadmap command table: every subcommand and group, in the order help lists them. */
import type { CoreServices } from '../services.ts';
import { cohort } from './cohort-commands.ts';
import type { CommandEntry } from './define.ts';
import { help } from './help.ts';
import { managers } from './manager-commands.ts';
import { remind } from './remind-commands.ts';
import { drill, schedule } from './schedule-commands.ts';
import { answer, leaderboard, me, privacy, quiz, review, streak, today, topics } from './study-commands.ts';
import { team } from './team-commands.ts';

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
