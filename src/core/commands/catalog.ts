/** The /roadmap command table: every subcommand and group, in the order help lists them. */
import type { CoreServices } from '../services.ts';
import type { CommandEntry } from './define.ts';
import { help } from './help.ts';
import { drill, schedule } from './schedule-commands.ts';
import { answer, leaderboard, me, privacy, quiz, streak, today, topics } from './study-commands.ts';

export const COMMAND_NAME = 'roadmap';

export function commandEntries(): CommandEntry<CoreServices>[] {
  return [
    today,
    quiz,
    answer,
    me,
    streak,
    leaderboard,
    topics,
    privacy,
    schedule,
    drill,
    help,
  ] as CommandEntry<CoreServices>[];
}
