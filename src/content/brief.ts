/** The one paragraph a channel post shows of a card: its `brief`, or the summary cut at a sentence. */
import type { StudyCard } from './track.ts';

/** A brief's limit (the schema's `brief`); a summary standing in for one is cut to fit it. */
export const BRIEF_MAX = 350;

/**
 * The card's brief when its author wrote one; otherwise the summary's whole sentences that fit in
 * BRIEF_MAX characters (at least the first sentence, cut with an ellipsis if even that is longer).
 */
export function cardBrief(card: Pick<StudyCard, 'brief' | 'summary'>): string {
  if (card.brief) return card.brief;
  const summary = card.summary.replace(/\s+/g, ' ').trim();
  if (summary.length <= BRIEF_MAX) return summary;
  // A sentence ends at . ! or ? followed by a space and a capital, a digit or a backtick; "e.g. x" does not.
  const ends = [...summary.matchAll(/[.!?](?=\s+[A-Z0-9`"(])/g)].map((m) => m.index + 1);
  const fits = ends.filter((end) => end <= BRIEF_MAX);
  if (fits.length) return summary.slice(0, fits.at(-1));
  const cut = summary.lastIndexOf(' ', BRIEF_MAX - 1);
  return `${summary.slice(0, cut > 0 ? cut : BRIEF_MAX - 1)}…`;
}
