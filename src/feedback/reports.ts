/**
 * Reporting a question: a member says what is wrong with one (the key, the wording, its age, a typo), a
 * manager lists their workspace's open reports and resolves them, and a question enough members report is
 * withheld from the workspace's drills and practice (src/deliveries/withheld.ts) until a manager keeps it.
 */
import { lastShown } from '../answers/shown.repository.ts';
import type { Question, StudyCard, Track } from '../content/track.ts';
import { UserFacingError } from '../core/errors.ts';
import { clip, managerCommand } from '../core/render/text.ts';
import type { ChannelRef, UserRef, WorkspaceRef } from '../core/types.ts';
import { type StudyDeps, transactionally } from '../db/deps.ts';
import type {
  QuestionReportRow,
  ReportReason,
  ReportResolution,
  ReportSource,
} from '../db/schema-feedback.ts';
import { findAnswerableDelivery, latestOpened } from '../deliveries/deliveries.repository.ts';
import { getDrill } from '../deliveries/deliveries.ts';
import { QUESTION_ID_PATTERN } from '../deliveries/report-button.ts';
import { withheldQuestions, withholdThreshold } from '../deliveries/withheld.ts';
import { findPrompt } from '../practice/practice.repository.ts';
import { workspaceTracks } from '../tracks/tracks.ts';
import {
  keepQuestion,
  keptQuestions,
  latestReportIn,
  openReporters,
  questionOfReport,
  resolveOpenReports,
  unkeepQuestion,
  upsertReport,
  workspaceOpenReports,
} from './reports.repository.ts';

export const REPORT_REASONS = [
  'wrong-key',
  'unclear',
  'outdated',
  'typo',
  'other',
] as const satisfies readonly ReportReason[];
export const RESOLUTIONS = ['fixed', 'kept', 'dismissed'] as const satisfies readonly ReportResolution[];
/** The longest note a member may add to a report. */
export const MAX_NOTE = 300;

export interface Reported {
  card: StudyCard;
  question: Question;
  reason: ReportReason;
  note: string | undefined;
  /** False when the member's open report on the question was updated instead. */
  created: boolean;
  /** Members with an open report on the question in the workspace, this one included. */
  reporters: number;
  threshold: number;
  status: QuestionStatus;
}

/** Whether a question is still asked in a workspace: withheld by its reports, kept by a manager, or open. */
export type QuestionStatus = 'withheld' | 'kept' | 'open';

/** The question and its card in any loaded track; a question no longer in the content is not found. */
function findQuestion(
  tracks: Iterable<Track>,
  questionId: string,
): { track: Track; card: StudyCard; question: Question } | undefined {
  for (const track of tracks) {
    const question = track.question(questionId);
    const card = question && track.card(question.cardId);
    if (question && card) return { track, card, question };
  }
  return undefined;
}

/**
 * The question and its card in a track the workspace may meet (built-in, or its own), or a one-line refusal
 * when the content no longer has it.
 */
export async function requireQuestion(
  deps: StudyDeps,
  ws: WorkspaceRef,
  questionId: string,
): Promise<{ track: Track; card: StudyCard; question: Question }> {
  const found = findQuestion(await workspaceTracks(deps, ws), questionId);
  if (!found)
    throw new UserFacingError(
      'NOT_FOUND',
      'That question is no longer in the curriculum, so there is nothing to report.',
    );
  return found;
}

/** Stores a member's report of a question (or updates their open one) and says where it stands. */
export async function reportQuestion(
  deps: StudyDeps,
  user: UserRef,
  channel: ChannelRef,
  input: { questionId: string; source: ReportSource; reason: ReportReason; note?: string | undefined },
): Promise<Reported> {
  const found = await requireQuestion(deps, channel, input.questionId);
  const note = input.note?.trim() ? clip(input.note.trim(), MAX_NOTE) : undefined;
  const { created } = await upsertReport(deps.db, {
    channel,
    userId: user.userId,
    questionId: found.question.id,
    cardId: found.card.id,
    contentVersion: found.track.version,
    source: input.source,
    reason: input.reason,
    note,
    at: deps.clock.now(),
  });
  deps.log.info({ questionId: found.question.id, reason: input.reason, created }, 'question reported');
  return {
    card: found.card,
    question: found.question,
    reason: input.reason,
    note,
    created,
    reporters: await openReporters(deps.db, channel, found.question.id),
    threshold: withholdThreshold(deps),
    status: await statusOf(deps, channel, found.question.id),
  };
}

async function statusOf(
  deps: StudyDeps,
  workspace: WorkspaceRef,
  questionId: string,
): Promise<QuestionStatus> {
  if ((await keptQuestions(deps.db, workspace)).has(questionId)) return 'kept';
  return (await withheldQuestions(deps, workspace)).has(questionId) ? 'withheld' : 'open';
}

/**
 * The question `/roadmap report` is about: the one the member met last in this channel, whichever is the
 * most recent of the question last shown to them (`today`, a practice question), the channel's latest drill,
 * and the question they last reported here (so a note can follow a button).
 */
export async function lastSeenQuestion(
  deps: StudyDeps,
  channel: ChannelRef,
  userId: string,
): Promise<string | undefined> {
  const seen: { questionId: string; at: number }[] = [];
  const shown = await lastShown(deps.db, channel, userId);
  if (shown) {
    const row =
      shown.target.kind === 'delivery'
        ? await findAnswerableDelivery(deps.db, shown.target.id)
        : await findPrompt(deps.db, shown.target.id);
    if (row) seen.push({ questionId: row.question_id, at: shown.at.getTime() });
  }
  const drill = await getDrill(deps, channel);
  const latest = drill ? await latestOpened(deps.db, drill.id, deps.clock.now()) : undefined;
  if (latest) seen.push({ questionId: latest.question_id, at: latest.opens_at.getTime() });
  const reported = await latestReportIn(deps.db, channel, userId);
  if (reported) seen.push({ questionId: reported.questionId, at: reported.at.getTime() });
  return seen.sort((a, b) => b.at - a.at)[0]?.questionId;
}

/** The open reports on one question, summed up. */
export interface ReportGroup {
  questionId: string;
  cardId: string;
  /** The lowest open report id: what `content resolve` takes besides the question id. */
  reportId: number;
  reports: number;
  workspaces: number;
  reasons: Map<ReportReason, number>;
  /** Distinct notes, newest first. */
  notes: string[];
  latest: Date;
}

/** Groups open reports by question, the most reported first (then the most recently reported). */
export function groupByQuestion(rows: readonly QuestionReportRow[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup & { spaces: Set<string> }>();
  const newestFirst = [...rows].sort(
    (a, b) => b.created_at.getTime() - a.created_at.getTime() || b.id - a.id,
  );
  for (const r of newestFirst) {
    const g = groups.get(r.question_id) ?? {
      questionId: r.question_id,
      cardId: r.card_id,
      reportId: r.id,
      reports: 0,
      workspaces: 0,
      reasons: new Map<ReportReason, number>(),
      notes: [],
      latest: r.created_at,
      spaces: new Set<string>(),
    };
    g.reportId = Math.min(g.reportId, r.id);
    g.reports++;
    g.spaces.add(`${r.platform}:${r.workspace_id}`);
    g.workspaces = g.spaces.size;
    g.reasons.set(r.reason, (g.reasons.get(r.reason) ?? 0) + 1);
    if (r.note && !g.notes.includes(r.note)) g.notes.push(r.note);
    groups.set(r.question_id, g);
  }
  return [...groups.values()]
    .map(({ spaces: _, ...g }) => g)
    .sort((a, b) => b.reports - a.reports || b.latest.getTime() - a.latest.getTime());
}

/** A workspace's open reports by question, each with whether the question is still asked there. */
export async function workspaceReports(
  deps: StudyDeps,
  workspace: WorkspaceRef,
): Promise<{ groups: (ReportGroup & { status: QuestionStatus })[]; threshold: number }> {
  const groups = groupByQuestion(await workspaceOpenReports(deps.db, workspace));
  const kept = await keptQuestions(deps.db, workspace);
  const withheld = await withheldQuestions(deps, workspace);
  const status = (id: string): QuestionStatus =>
    kept.has(id) ? 'kept' : withheld.has(id) ? 'withheld' : 'open';
  return {
    groups: groups.map((g) => ({ ...g, status: status(g.questionId) })),
    threshold: withholdThreshold(deps),
  };
}

export interface Resolved {
  questionId: string;
  found: { card: StudyCard; question: Question } | undefined;
  resolution: ReportResolution;
  closed: number;
}

/**
 * Closes every open report on a question in the manager's workspace. `ref` is a report number (`12` or
 * `#12`, as the list shows) or a question id. `kept` also marks the question kept there (its reports no longer
 * withhold it); `fixed` clears that mark, since the question changed; `dismissed` leaves it.
 */
export async function resolveReports(
  deps: StudyDeps,
  manager: UserRef,
  ref: string,
  resolution: ReportResolution,
): Promise<Resolved> {
  const questionId = await questionFor(deps, manager, ref.trim());
  const found = questionId ? findQuestion(await workspaceTracks(deps, manager), questionId) : undefined;
  const at = deps.clock.now();
  const closed = questionId
    ? await transactionally(deps, async (d) => {
        const n = await resolveOpenReports(d.db, manager, questionId, {
          userId: manager.userId,
          resolution,
          at,
        });
        if (n > 0 && resolution === 'kept') {
          const contentVersion = found?.track.version ?? 'unknown';
          await keepQuestion(d.db, manager, questionId, { userId: manager.userId, at, contentVersion });
        }
        if (n > 0 && resolution === 'fixed') await unkeepQuestion(d.db, manager, questionId);
        return n;
      })
    : 0;
  if (!questionId || closed === 0)
    throw new UserFacingError(
      'NOT_FOUND',
      `No open report here matches that; ${managerCommand('content reports')} lists them with their numbers.`,
      `${managerCommand('content resolve')} <report number or question id> fixed|kept|dismissed`,
    );
  deps.log.info({ questionId, resolution, closed }, 'question reports resolved');
  return { questionId, found, resolution, closed };
}

async function questionFor(
  deps: StudyDeps,
  workspace: WorkspaceRef,
  ref: string,
): Promise<string | undefined> {
  const number = /^#?(\d{1,15})$/.exec(ref);
  if (number) return questionOfReport(deps.db, workspace, Number(number[1]));
  return new RegExp(`^${QUESTION_ID_PATTERN}$`).test(ref) ? ref : undefined;
}
