/** The /roadmap command table: every subcommand and group, in the order help lists them. */

import { me, streak, topics } from '../answers/commands.ts';
import { leaderboardCommand } from '../boards/commands.ts';
import { cohort } from '../cohorts/commands.ts';
import { team } from '../cohorts/team-commands.ts';
import type { CommandEntry } from '../core/commands/define.ts';
import { help } from '../core/commands/help.ts';
import type { Services } from '../db/deps.ts';
import { content, report } from '../feedback/commands.ts';
import { managers, privacy } from '../members/commands.ts';
import { answer, quiz, review, today } from '../practice/commands.ts';
import { remind } from '../reminders/commands.ts';
import { drill, schedule } from '../schedules/commands.ts';
import { track } from '../tracks/commands.ts';

export function commandEntries(): CommandEntry<Services>[] {
  return [
    today,
    quiz,
    review,
    answer,
    report,
    me,
    streak,
    leaderboardCommand,
    topics,
    privacy,
    schedule,
    drill,
    remind,
    cohort,
    team,
    managers,
    content,
    track,
    help,
  ] as CommandEntry<Services>[];
}
