/** The study domain behind one object, with its dependencies bound: what command handlers call. */

import {
  answerDelivery,
  answerOpenQuestion,
  answerPractice,
  completeAnswer,
  type RecordedAnswer,
  recordDeliveryAnswer,
} from '../answers/answering.ts';
import { markShown } from '../answers/shown.repository.ts';
import { leaderboard, memberProgress, memberSummary } from '../answers/stats.ts';
import { streakFor } from '../answers/streak-service.ts';
import type { ChannelRef, UserRef } from '../core/types.ts';
import { type StudyDeps, trackOf } from '../db/deps.ts';
import { countAnswers } from '../deliveries/deliveries.repository.ts';
import { currentDelivery, ensureDrill, getDrill, openDelivery } from '../deliveries/deliveries.ts';
import {
  ensureWorkspace,
  findMember,
  isGrantedManager,
  setHidden,
  upsertMember,
} from '../members/members.repository.ts';
import type { PeriodKind, Schedule } from '../plans/calendar.ts';
import type { Drill } from '../plans/model.ts';
import { startPath, startPractice, startReview } from '../practice/practice.ts';
import {
  drillNow,
  pauseSchedule,
  resumeSchedule,
  type ScheduleInput,
  setSchedule,
  showSchedule,
  skipNext,
} from '../schedules/schedules.ts';
import { createProgrammeService } from './programme-service.ts';

/** A member seen this recently with the same name is not written again: two upserts per command add up. */
const TOUCH_FRESH_MS = 5 * 60_000;
const TOUCH_CACHE_MAX = 10_000;

export function createStudyService(deps: StudyDeps) {
  const touched = new Map<string, number>();
  return {
    deps,
    /** Cohorts, teams, managers, reports, reminders and their periodic jobs. */
    programmes: createProgrammeService(deps),
    track: (trackId?: string) => trackOf(deps, trackId ?? deps.defaultTrackId),
    /** Records the workspace and the member (name kept current) before anything else touches them. */
    async touch(user: UserRef): Promise<void> {
      const key = JSON.stringify([user.platform, user.workspaceId, user.userId, user.displayName]);
      const now = deps.clock.now().getTime();
      const seen = touched.get(key);
      if (seen !== undefined && now - seen >= 0 && now - seen < TOUCH_FRESH_MS) return;
      await ensureWorkspace(deps.db, user, deps.defaultTimezone);
      await upsertMember(deps.db, user);
      touched.delete(key);
      touched.set(key, now);
      // Oldest first in insertion order: drop it once the map is full.
      if (touched.size > TOUCH_CACHE_MAX) touched.delete(touched.keys().next().value!);
    },
    async isManager(user: UserRef): Promise<boolean> {
      return user.isPlatformAdmin === true || (await isGrantedManager(deps.db, user));
    },
    async isHidden(user: UserRef): Promise<boolean> {
      return (await findMember(deps.db, user))?.hidden ?? false;
    },
    setHidden: (user: UserRef, hidden: boolean) => setHidden(deps.db, user, hidden),
    getDrill: (channel: ChannelRef) => getDrill(deps, channel),
    ensureDrill: (channel: ChannelRef, schedule: Schedule, createdBy: string | null, effectiveFrom?: Date) =>
      ensureDrill(deps, channel, schedule, createdBy, effectiveFrom),
    currentDelivery: (drill: Drill) => currentDelivery(deps, drill),
    openDelivery: (drill: Drill, localDate: string, opts?: { late?: boolean; opensAt?: Date }) =>
      openDelivery(deps, drill, localDate, opts),
    answeredCount: (deliveryId: number) => countAnswers(deps.db, deliveryId),
    answerDelivery: (user: UserRef, deliveryId: number, choice: number, channel: ChannelRef) =>
      answerDelivery(deps, user, deliveryId, choice, channel),
    /** The durable half of a drill answer (before an adapter acknowledges); `completeAnswer` does the rest. */
    recordDeliveryAnswer: (user: UserRef, deliveryId: number, choice: number, channel: ChannelRef) =>
      recordDeliveryAnswer(deps, user, deliveryId, choice, channel),
    completeAnswer: (recorded: RecordedAnswer) => completeAnswer(deps, recorded),
    answerPractice: (user: UserRef, practiceId: number, choice: number) =>
      answerPractice(deps, user, practiceId, choice),
    answerOpen: (channel: ChannelRef, user: UserRef, choice: number) =>
      answerOpenQuestion(deps, channel, user, choice),
    startPractice: (channel: ChannelRef, user: UserRef, moduleId?: string) =>
      startPractice(deps, channel, user.userId, moduleId),
    startPath: (channel: ChannelRef, user: UserRef) => startPath(deps, channel, user.userId),
    startReview: (channel: ChannelRef, user: UserRef) => startReview(deps, channel, user.userId),
    /** `today` showed this member the drill: `/roadmap answer` now answers it. */
    showedDelivery: (channel: ChannelRef, user: UserRef, deliveryId: number) =>
      markShown(deps.db, channel, user.userId, { kind: 'delivery', id: deliveryId }, deps.clock.now()),
    summary: (channel: ChannelRef, user: UserRef) => memberSummary(deps, channel, user),
    progress: (channel: ChannelRef, user: UserRef) => memberProgress(deps, channel, user.userId),
    streak: (drill: Drill, user: UserRef) => streakFor(deps, drill, user.userId),
    setSchedule: (channel: ChannelRef, user: UserRef, input: ScheduleInput) =>
      setSchedule(deps, channel, user, input),
    showSchedule: (channel: ChannelRef) => showSchedule(deps, channel),
    pauseSchedule: (channel: ChannelRef, user: UserRef) => pauseSchedule(deps, channel, user),
    resumeSchedule: (channel: ChannelRef) => resumeSchedule(deps, channel),
    skipNext: (channel: ChannelRef, user: UserRef) => skipNext(deps, channel, user),
    drillNow: (channel: ChannelRef) => drillNow(deps, channel),
    leaderboard: async (channel: ChannelRef, user: UserRef, period: PeriodKind) =>
      leaderboard(deps, channel, user, period, (await findMember(deps.db, user))?.hidden ?? false),
  };
}

export type StudyService = ReturnType<typeof createStudyService>;
