/** The loaded, validated curriculum as the rest of the bot sees it. */

type QuestionKind = 'recall' | 'application' | 'scenario';

export interface QuestionOption {
  text: string;
  correct: boolean;
  /** Why a wrong option is wrong; empty for the correct one. */
  why: string;
}

export interface Question {
  id: string;
  cardId: string;
  moduleId: string;
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  correctIndex: number;
  explanation: string;
}

interface Source {
  title: string;
  url: string;
}

export interface StudyCard {
  id: string;
  moduleId: string;
  /** Position in the track's programme (0-based): study day N shows card N-1. */
  index: number;
  title: string;
  topics: string[];
  difficulty: 1 | 2 | 3;
  /** One paragraph (at most 350 characters) that the channel post shows; the full card opens on request. */
  brief: string;
  summary: string;
  points: string[];
  example?: { lang?: string; code: string };
  sources: Source[];
  questions: Question[];
}

export interface TrackModule {
  id: string;
  title: string;
  cards: StudyCard[];
}

export interface SyllabusTopic {
  id: string;
  moduleId: string;
  name: string;
}

export interface Track {
  id: string;
  title: string;
  /**
   * A hash of what members see (every card, question, option and source), computed at load. Recorded with
   * each answer, so reports and analytics know which wording a member answered; shown in help and /healthz.
   */
  version: string;
  modules: TrackModule[];
  /** Every card in programme order. */
  cards: StudyCard[];
  syllabus: SyllabusTopic[];
  card(id: string): StudyCard | undefined;
  question(id: string): Question | undefined;
  module(id: string): TrackModule | undefined;
}

/** Option letters in display order; a question's options are A to D. */
export const LETTERS = ['A', 'B', 'C', 'D'] as const;
