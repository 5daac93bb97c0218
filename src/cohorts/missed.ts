/**
 * A cohort's most-missed questions: of the roster's answers on each study day, the share that were wrong, with
 * the question's text and the share who chose each option. Computed from the report's input (loadReportInput).
 */
import type { Track } from '../content/track.ts';
import type { ReportInput } from './reports.ts';

interface MissedOption {
  text: string;
  correct: boolean;
  chosen: number;
}

export interface MissedQuestion {
  studyDay: number;
  localDate: string;
  questionId: string;
  /** The question's text; undefined when the curriculum no longer has it. */
  stem: string | undefined;
  options: MissedOption[];
  answered: number;
  wrong: number;
}

/** The questions missed most (by share, then by count), each answered by at least `minAnswers` members. */
export function mostMissed(input: ReportInput, track: Track, top = 5, minAnswers = 1): MissedQuestion[] {
  const roster = new Set(input.members.map((m) => m.userId));
  const out: MissedQuestion[] = [];
  for (const day of input.days) {
    const answers = input.answers.filter((a) => a.deliveryId === day.deliveryId && roster.has(a.userId));
    const wrong = answers.filter((a) => !a.correct).length;
    if (answers.length < minAnswers || wrong === 0) continue;
    const question = track.question(day.questionId);
    out.push({
      studyDay: day.studyDay,
      localDate: day.localDate,
      questionId: day.questionId,
      stem: question?.stem,
      options: (question?.options ?? []).map((o, i) => ({
        text: o.text,
        correct: o.correct,
        chosen: answers.filter((a) => a.choice === i).length,
      })),
      answered: answers.length,
      wrong,
    });
  }
  return out
    .sort(
      (a, b) => b.wrong / b.answered - a.wrong / a.answered || b.wrong - a.wrong || a.studyDay - b.studyDay,
    )
    .slice(0, top);
}
