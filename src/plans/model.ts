/** Domain objects of the study domain, mapped from rows in one place each. */

import type { Schedule } from '../core/calendar.ts';
import type { ChannelRef, Platform } from '../core/types.ts';
import type { CohortRow, DeliveryRow, DrillRow, ReviewMode } from '../db/schema.ts';

export interface Drill {
  id: number;
  channel: ChannelRef;
  trackId: string;
  schedule: Schedule;
  position: number;
  status: 'active' | 'paused';
  pauseReason: string | null;
  revealTime: string | null;
  cohortId: number | null;
  /** Slots before this instant never open: a schedule set at 14:00 for 09:00 starts the next study day. */
  scheduleChangedAt: Date;
  /** Review drills: null is the default ('auto' for a plain drill, 'off' for a cohort's). */
  reviewMode: ReviewMode | null;
}

export interface Delivery {
  id: number;
  drillId: number;
  channel: ChannelRef;
  localDate: string;
  studyDay: number;
  cardId: string;
  questionId: string;
  /** The track it was opened with: a drill that changes track still shows its past days as they were. */
  trackId: string;
  opensAt: Date;
  closesAt: Date | null;
  revealAt: Date | null;
  late: boolean;
  postStatus: DeliveryRow['post_status'];
  messageId: string | null;
  revealedAt: Date | null;
  /** A review day: an already-taught card the channel is closest to forgetting. */
  isReview: boolean;
  /** On a review day: how many members had the card due when it opened. */
  reviewDue: number | null;
}

/** The channel a drill, delivery or cohort row belongs to. */
function channelOfRow(r: { platform: Platform; workspace_id: string; channel_id: string }): ChannelRef {
  return { platform: r.platform, workspaceId: r.workspace_id, channelId: r.channel_id };
}

export function drillFromRow(r: DrillRow): Drill {
  return {
    id: r.id,
    channel: channelOfRow(r),
    trackId: r.track_id,
    schedule: { timeOfDay: r.time_of_day, days: r.days, timezone: r.timezone },
    position: r.position,
    status: r.status,
    pauseReason: r.pause_reason,
    revealTime: r.reveal_time,
    cohortId: r.cohort_id,
    scheduleChangedAt: r.schedule_changed_at,
    reviewMode: r.review_mode,
  };
}

export function deliveryFromRow(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    drillId: r.drill_id,
    channel: channelOfRow(r),
    localDate: r.local_date,
    studyDay: r.study_day,
    cardId: r.card_id,
    questionId: r.question_id,
    trackId: r.track_id,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    revealAt: r.reveal_at,
    late: r.late,
    postStatus: r.post_status,
    messageId: r.message_id,
    revealedAt: r.revealed_at,
    isReview: r.is_review,
    reviewDue: r.review_due,
  };
}

export function isOpen(d: Pick<Delivery, 'opensAt' | 'closesAt'>, now: Date): boolean {
  return (
    d.opensAt.getTime() <= now.getTime() && (d.closesAt === null || now.getTime() < d.closesAt.getTime())
  );
}

export interface Cohort {
  id: number;
  channel: ChannelRef;
  name: string;
  trackId: string;
  startsOn: string;
  endsOn: string | null;
  status: 'active' | 'ended';
  createdBy: string;
  endedAt: Date | null;
  /** The pace stored with the cohort; null only for cohorts older than that record (their drill's then). */
  pace: Schedule | null;
}

export function cohortFromRow(r: CohortRow): Cohort {
  return {
    id: r.id,
    channel: channelOfRow(r),
    name: r.name,
    trackId: r.track_id,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    createdBy: r.created_by,
    endedAt: r.ended_at,
    pace:
      r.days !== null && r.time_of_day !== null && r.timezone !== null
        ? { days: r.days, timeOfDay: r.time_of_day, timezone: r.timezone }
        : null,
  };
}
