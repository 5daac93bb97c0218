/**
 * The results moment: when a drill is revealed, a short reply to it tells the channel how it went (the share
 * right, the answer, one line on why, a link back), and "My answer" shows a member their own outcome.
 */
import { sentencesWithin } from '../content/brief.ts';
import { LETTERS, type Question, type StudyCard } from '../content/track.ts';
import { pct } from '../core/render/text.ts';
import type { Button, OutboundMessage } from '../core/types.ts';
import type { Delivery } from '../plans/model.ts';
import { message } from './messages.ts';

/** "My answer": the member's own choice on a revealed drill, privately. Its value is the delivery. */
export const MY_ANSWER_ACTION = 'roadmap.mine';

/** The longest "why" line of a results post. */
const WHY_MAX = 200;

export function parseMyAnswerValue(value: string): number | undefined {
  const m = /^d:(\d{1,15})$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

function myAnswerButton(deliveryId: number): Button {
  return { actionId: MY_ANSWER_ACTION, value: `d:${deliveryId}`, label: 'My answer', key: 'M' };
}

/** "7 of 10 got it right (70%)", or that nobody answered. */
function shareLine(right: number, total: number): string {
  if (total === 0) return 'Nobody answered this one.';
  return `**${right} of ${total}** got it right (${pct(right, total)}).`;
}

export function resultsMessage(
  card: StudyCard,
  question: Question,
  delivery: Pick<Delivery, 'id' | 'studyDay'>,
  distribution: readonly number[],
  link: string | undefined,
): OutboundMessage {
  const total = distribution.reduce((a, b) => a + b, 0);
  const right = distribution[question.correctIndex] ?? 0;
  const letter = LETTERS[question.correctIndex]!;
  const back = link ? `[Back to the drill](${link}) · ` : '';
  return message(
    {
      title: `Day ${delivery.studyDay} results · ${card.title}`,
      sections: [
        {
          body: `${shareLine(right, total)} The answer: **${letter}. ${question.options[question.correctIndex]!.text}**`,
        },
        { body: `Why: ${sentencesWithin(question.explanation, WHY_MAX)}` },
        { body: `${back}Your own answer: press **My answer**.` },
      ],
      accent: 'results',
      buttons: [myAnswerButton(delivery.id)],
    },
    'public',
  );
}

/** A member's own outcome on a drill, for "My answer". */
export function myAnswerMessage(
  question: Question,
  answer: { choice: number; correct: boolean; points: number } | undefined,
  revealed: boolean,
): OutboundMessage {
  if (!answer) return { text: 'You did not answer this drill.', visibility: 'ephemeral' };
  const chose = `You chose **${LETTERS[answer.choice]}. ${question.options[answer.choice]!.text}**`;
  if (!revealed)
    return { text: `${chose}. The answer shows when the drill is revealed.`, visibility: 'ephemeral' };
  const verdict = answer.correct ? '✅ right' : `❌ the answer is ${LETTERS[question.correctIndex]}`;
  return { text: `${chose}: ${verdict} · +${answer.points} points`, visibility: 'ephemeral' };
}
