/**
 * The "Report a problem" button under every answer result and reveal. Its value carries where it was shown and
 * the question, so a click works on any instance and after restarts; src/feedback handles the click.
 */
import type { Button, OutboundMessage } from '../core/types.ts';

export const REPORT_ACTION = 'roadmap.report';

/** Where a report button was shown: a drill answer's result, a practice answer's result, a reveal. */
export type ReportButtonSource = 'drill' | 'practice' | 'reveal';

const SOURCE_CODES: Record<ReportButtonSource, string> = { drill: 'd', practice: 'p', reveal: 'r' };
const CODE_SOURCES: Record<string, ReportButtonSource> = { d: 'drill', p: 'practice', r: 'reveal' };

/** A question id as the content loader allows it (`module.card-name.q2`), bounded for a Discord custom_id. */
export const QUESTION_ID_PATTERN = '[a-z0-9][a-z0-9.-]{0,59}';

function reportValue(source: ReportButtonSource, questionId: string): string {
  return `${SOURCE_CODES[source]}:${questionId}`;
}

export function parseReportValue(
  value: string,
): { source: ReportButtonSource; questionId: string } | undefined {
  const m = new RegExp(`^([dpr]):(${QUESTION_ID_PATTERN})$`).exec(value);
  return m ? { source: CODE_SOURCES[m[1]!]!, questionId: m[2]! } : undefined;
}

export function reportButton(source: ReportButtonSource, questionId: string): Button {
  return {
    actionId: REPORT_ACTION,
    value: reportValue(source, questionId),
    label: 'Report a problem',
    // Under a result only its member sees; under a reveal, anyone in the channel may report.
    ...(source === 'reveal' ? {} : { personal: true }),
  };
}

/** An answer result with the report button for its question. */
export function withReportButton(
  message: OutboundMessage,
  source: Exclude<ReportButtonSource, 'reveal'>,
  questionId: string,
): OutboundMessage {
  if (!message.card) return message;
  const buttons = [...(message.card.buttons ?? []), reportButton(source, questionId)];
  return { ...message, card: { ...message.card, buttons } };
}
