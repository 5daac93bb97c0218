/** A cohort's roster: who is enrolled, enrolment by a manager or by the member, and removal. */
import { UserFacingError } from '../core/errors.ts';
import type { UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { ensureMembers, recheckReminders } from '../members/managers.repository.ts';
import { addCohortMembers, cohortRoster, type RosterRow, removeCohortMembers } from './cohorts.repository.ts';
import { type CohortContext, cohortContext } from './cohorts.ts';
import type { Cohort } from './model.ts';

export const roster = (deps: StudyDeps, cohort: Cohort): Promise<RosterRow[]> =>
  cohortRoster(deps.db, cohort.id);

/** Enrols members as of today in the cohort's zone; returns who was added and who already was in. */
export async function addMembers(
  deps: StudyDeps,
  ctx: CohortContext,
  people: readonly { userId: string; displayName?: string | undefined }[],
): Promise<{ added: string[]; already: string[] }> {
  if (ctx.cohort.status !== 'active')
    throw new UserFacingError('BAD_ARGUMENT', `The cohort "${ctx.cohort.name}" has ended.`);
  await ensureMembers(deps.db, ctx.cohort.channel, people, deps.clock.now());
  const ids = [...new Set(people.map((p) => p.userId))];
  // Members enrolled before the start count from day 1; later ones from today (ISO dates sort as text).
  const joinedOn = [ctx.today, ctx.cohort.startsOn].sort()[1]!;
  const added = await addCohortMembers(
    deps.db,
    {
      id: ctx.cohort.id,
      platform: ctx.cohort.channel.platform,
      workspace_id: ctx.cohort.channel.workspaceId,
    },
    ids,
    joinedOn,
  );
  // Their drills changed: the reminder job looks at them again (a reminder may be due at once).
  await recheckReminders(deps.db, ctx.cohort.channel, deps.clock.now(), added);
  return { added, already: ids.filter((id) => !added.includes(id)) };
}

export async function removeMembers(
  deps: StudyDeps,
  cohort: Cohort,
  userIds: readonly string[],
): Promise<{ removed: string[]; absent: string[] }> {
  const ids = [...new Set(userIds)];
  const removed = await removeCohortMembers(deps.db, cohort.id, ids, deps.clock.now());
  return { removed, absent: ids.filter((id) => !removed.includes(id)) };
}

/** Self-enrolment (the command and the join button): the member joins as of today. */
export async function joinCohort(
  deps: StudyDeps,
  user: UserRef,
  cohort: Cohort,
): Promise<{ ctx: CohortContext; added: boolean }> {
  if (cohort.channel.platform !== user.platform || cohort.channel.workspaceId !== user.workspaceId) {
    throw new UserFacingError('NOT_FOUND', 'That cohort does not exist here.');
  }
  if (cohort.status !== 'active')
    throw new UserFacingError('NOT_FOUND', `The cohort "${cohort.name}" has ended.`);
  const ctx = await cohortContext(deps, cohort);
  const { added } = await addMembers(deps, ctx, [{ userId: user.userId, displayName: user.displayName }]);
  return { ctx, added: added.length > 0 };
}
