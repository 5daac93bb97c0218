/** Cohorts, teams, managers, reports and reminders with their dependencies bound: what manager commands call. */

import { createDigestJob } from '../cohorts/digest.ts';
import { buildCohortReport, cohortCsv, loadReportInput } from '../cohorts/reports.ts';
import {
  addToTeam,
  createTeam,
  joinTeam,
  removeFromTeam,
  teamLeaderboard,
  teamsOf,
} from '../cohorts/teams.ts';
import type { ChannelRef, UserRef, WorkspaceRef } from '../core/types.ts';
import { type StudyDeps, transactionally } from '../db/deps.ts';
import { findDeliveryByDate } from '../deliveries/deliveries.repository.ts';
import { openPassedToday } from '../deliveries/deliveries.ts';
import { addManagers, grantedManagers, managerRefusal, removeManagers } from '../members/managers.ts';
import type { PeriodKind } from '../plans/calendar.ts';
import {
  activeCohortOf,
  addMembers,
  type Cohort,
  type CohortContext,
  type CreateCohortInput,
  cohortById,
  cohortContext,
  createCohort,
  findCohort,
  finishCohort,
  joinCohort,
  listCohortsOf,
  progressOf,
  removeMembers,
  roster,
} from '../plans/cohorts.ts';
import { createReminderJob, setReminderFor } from '../reminders/reminders.ts';

type Person = { userId: string; displayName?: string | undefined };

export function createProgrammeService(deps: StudyDeps) {
  return {
    managers: {
      add: (by: UserRef, people: readonly Person[]) =>
        transactionally(deps, (d) => addManagers(d, by, people)),
      remove: (by: UserRef, people: readonly Person[]) => removeManagers(deps, by, people),
      list: (ws: WorkspaceRef) => grantedManagers(deps, ws),
      refusal: (ws: WorkspaceRef, command: string, platformAdmins: string) =>
        managerRefusal(deps, ws, command, platformAdmins),
    },
    cohorts: {
      /**
       * Creates the cohort; today's card opens at once when today is a study day whose time has passed.
       * `postedToday`: the channel's drill has already posted today (a drill posts once a day), so nothing
       * more posts before the next study day.
       */
      create: async (channel: ChannelRef, by: string, input: CreateCohortInput) => {
        const ctx = await transactionally(deps, (d) => createCohort(d, channel, by, input));
        const openedNow = ctx.drill ? await openPassedToday(deps, ctx.drill) : undefined;
        const postedToday =
          !openedNow &&
          ctx.drill !== undefined &&
          (await findDeliveryByDate(deps.db, ctx.drill.id, ctx.today)) !== undefined;
        return { ctx, openedNow, postedToday };
      },
      find: (
        channel: ChannelRef,
        name?: string,
        opts?: { activeOnly?: boolean; thisChannelOnly?: boolean },
      ) => findCohort(deps, channel, name, opts),
      byId: (id: number) => cohortById(deps, id),
      active: (channel: ChannelRef) => activeCohortOf(deps, channel),
      context: (cohort: Cohort) => cohortContext(deps, cohort),
      progress: progressOf,
      list: (ws: WorkspaceRef) => listCohortsOf(deps, ws),
      roster: (cohort: Cohort) => roster(deps, cohort),
      add: (ctx: CohortContext, people: readonly Person[]) =>
        transactionally(deps, (d) => addMembers(d, ctx, people)),
      remove: (cohort: Cohort, userIds: readonly string[]) => removeMembers(deps, cohort, userIds),
      join: (user: UserRef, cohort: Cohort) => transactionally(deps, (d) => joinCohort(d, user, cohort)),
      end: (cohort: Cohort) => finishCohort(deps, cohort),
      report: async (ctx: CohortContext) => buildCohortReport(await loadReportInput(deps, ctx)),
      csv: async (ctx: CohortContext) => cohortCsv(await loadReportInput(deps, ctx)),
    },
    teams: {
      create: (channel: ChannelRef, by: string, name: string, people?: readonly Person[]) =>
        transactionally(deps, (d) => createTeam(d, channel, by, name, people)),
      add: (channel: ChannelRef, name: string, people: readonly Person[]) =>
        transactionally(deps, (d) => addToTeam(d, channel, name, people)),
      remove: (channel: ChannelRef, userIds: readonly string[]) => removeFromTeam(deps, channel, userIds),
      join: (user: UserRef, channel: ChannelRef, name: string) =>
        transactionally(deps, (d) => joinTeam(d, user, channel, name)),
      list: (channel: ChannelRef) => teamsOf(deps, channel),
      board: (channel: ChannelRef, period: PeriodKind, user?: UserRef) =>
        teamLeaderboard(deps, channel, period, user?.userId),
    },
    reminders: {
      set: (user: UserRef, enabled: boolean, at?: string) =>
        transactionally(deps, (d) => setReminderFor(d, user, enabled, at)),
    },
    /** Periodic jobs for the scheduler's ticker: weekly digests and streak reminders. */
    jobs: () => [createDigestJob(deps), createReminderJob(deps)],
  };
}

export type ProgrammeService = ReturnType<typeof createProgrammeService>;
