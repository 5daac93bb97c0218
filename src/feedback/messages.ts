/** What reporting a question looks like: the reason buttons, the thanks, a manager's list and resolution. */
import type { Question, StudyCard, Track } from '../content/track.ts';
import { clip, echo, managerCommand } from '../core/render/text.ts';
import { type Button, type OutboundMessage, plain } from '../core/types.ts';
import type { ReportReason, ReportResolution } from '../db/schema-feedback.ts';
import { message } from '../deliveries/messages.ts';
import { QUESTION_ID_PATTERN, type ReportButtonSource } from '../deliveries/report-button.ts';
import {
  MAX_NOTE,
  type QuestionStatus,
  REPORT_REASONS,
  type Reported,
  type ReportGroup,
  type Resolved,
} from './reports.ts';

/** The reason buttons' action: their value carries where the report began, the question and the reason. */
export const REPORT_REASON_ACTION = 'roadmap.report.reason';

export const REASON_LABELS: Record<ReportReason, string> = {
  'wrong-key': 'Wrong key',
  unclear: 'Unclear',
  outdated: 'Outdated',
  typo: 'Typo',
  other: 'Something else',
};

const SOURCE_CODES: Record<ReportButtonSource, string> = { drill: 'd', practice: 'p', reveal: 'r' };
const CODE_SOURCES: Record<string, ReportButtonSource> = { d: 'drill', p: 'practice', r: 'reveal' };
const REASON_CODES: Record<ReportReason, string> = {
  'wrong-key': 'w',
  unclear: 'u',
  outdated: 'o',
  typo: 't',
  other: 'x',
};
const CODE_REASONS = Object.fromEntries(
  Object.entries(REASON_CODES).map(([reason, code]) => [code, reason as ReportReason]),
);

export function reasonValue(source: ReportButtonSource, questionId: string, reason: ReportReason): string {
  return `${SOURCE_CODES[source]}:${questionId}:${REASON_CODES[reason]}`;
}

export function parseReasonValue(
  value: string,
): { source: ReportButtonSource; questionId: string; reason: ReportReason } | undefined {
  const m = new RegExp(`^([dpr]):(${QUESTION_ID_PATTERN}):([wuotx])$`).exec(value);
  if (!m) return undefined;
  return { source: CODE_SOURCES[m[1]!]!, questionId: m[2]!, reason: CODE_REASONS[m[3]!]! };
}

/** "HTTP methods, question 2". */
function questionName(card: StudyCard, question: Question): string {
  return `**${card.title}**, question ${card.questions.findIndex((q) => q.id === question.id) + 1}`;
}

const NOTE_HINT = (reason: ReportReason) =>
  `To add a detail: /roadmap report ${reason} "what is wrong" (up to ${MAX_NOTE} characters).`;

/** The reply to "Report a problem": what is wrong with it? One button per reason. */
export function reasonChoiceMessage(
  card: StudyCard,
  question: Question,
  source: ReportButtonSource,
): OutboundMessage {
  const buttons: Button[] = REPORT_REASONS.map((reason) => ({
    actionId: REPORT_REASON_ACTION,
    value: reasonValue(source, question.id, reason),
    label: REASON_LABELS[reason],
    personal: true,
  }));
  return message(
    {
      title: 'Report a problem',
      sections: [
        { body: `${questionName(card, question)}: ${clip(question.stem, 200)}` },
        { body: 'What is wrong with this question?' },
      ],
      footer: NOTE_HINT('other'),
      accent: 'attention',
      buttons,
    },
    'ephemeral',
  );
}

/** The thanks, and what happens next. */
export function thanksMessage(r: Reported): string {
  const what = `${questionName(r.card, r.question)} (${REASON_LABELS[r.reason].toLowerCase()})`;
  const note = r.note ? ` with your note ${echo(r.note, 80)}` : '';
  const lines = [
    r.created
      ? `Thanks: your report on ${what} is recorded${note}.`
      : `Your report on ${what} is updated${note}.`,
  ];
  if (r.status === 'withheld')
    lines.push(
      `${r.reporters === 1 ? '1 member here has' : `${r.reporters} members here have`} reported it, so it is set aside from this workspace's drills and practice until a manager looks at it.`,
    );
  else if (r.status === 'kept')
    lines.push(
      'A manager here has kept this question, so it stays in drills and practice; they still see your report.',
    );
  else
    lines.push(
      `Managers here see it with ${managerCommand('content reports')} and fix, keep or dismiss it; once ${r.threshold} members report it, it is set aside from drills and practice here until then.`,
    );
  if (!r.note) lines.push(NOTE_HINT(r.reason));
  return lines.join('\n');
}

export const STATUS_LINES: Record<QuestionStatus, string> = {
  withheld: '⛔ withheld from drills and practice here',
  kept: 'kept by a manager: still asked here',
  open: 'still asked here',
};

/** How many groups the list shows; the rest are counted. */
const LIST_LIMIT = 15;

/** `content reports`: a workspace's open reports by question, the most reported first. */
export function reportsListMessage(
  groups: readonly (ReportGroup & { status: QuestionStatus })[],
  /** The tracks the workspace may meet (built-in, then its own): where the reported questions are. */
  tracks: readonly Track[],
  threshold: number,
): OutboundMessage {
  if (groups.length === 0) return plain('No open reports in this workspace: nothing to look at.');
  const sections = groups.slice(0, LIST_LIMIT).map((g) => {
    const track = tracks.find((t) => t.question(g.questionId));
    const question = track?.question(g.questionId);
    const card = tracks.map((t) => t.card(g.cardId)).find(Boolean);
    const heading = `#${g.reportId} · ${card?.title ?? g.cardId} · ${g.questionId}`;
    const reasons = [...g.reasons].map(([reason, n]) => `${REASON_LABELS[reason].toLowerCase()} ${n}`);
    const lines = [
      `**${g.reports} member${g.reports === 1 ? '' : 's'}** · ${reasons.join(', ')} · ${STATUS_LINES[g.status]}`,
      question ? `_${clip(question.stem, 160)}_` : '(no longer in the curriculum)',
    ];
    if (g.notes.length)
      lines.push(
        `Notes: ${g.notes
          .slice(0, 3)
          .map((n) => echo(n, 100))
          .join(' · ')}`,
      );
    return { heading, body: lines.join('\n') };
  });
  const more = groups.length > LIST_LIMIT ? ` (the ${LIST_LIMIT} most reported shown)` : '';
  return message(
    {
      title: `Open reports · ${groups.length} question${groups.length === 1 ? '' : 's'}${more}`,
      sections,
      footer: `Resolve: ${managerCommand('content resolve')} <#number or question id> fixed|kept|dismissed · ${threshold} members withhold a question`,
      accent: 'attention',
    },
    'ephemeral',
  );
}

const RESOLUTION_LINES: Record<ReportResolution, string> = {
  fixed: 'fixed: it is asked again here, and new reports count from zero.',
  kept: 'kept: it stays in drills and practice here, and new reports no longer set it aside.',
  dismissed: 'dismissed: the reports are closed and it is asked here as before.',
};

export function resolvedMessage(r: Resolved): OutboundMessage {
  const name = r.found ? questionName(r.found.card, r.found.question) : `\`${r.questionId}\``;
  const reports = `${r.closed} report${r.closed === 1 ? '' : 's'}`;
  return plain(`Resolved ${reports} on ${name} as ${RESOLUTION_LINES[r.resolution]}`);
}
