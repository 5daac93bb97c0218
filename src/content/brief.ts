/** Short text from longer: whole sentences within a limit, where a message has room for one line or two. */

/**
 * The whole sentences of `text` that fit in `max` characters, or the first one cut at a word with an
 * ellipsis when even that is longer. A sentence ends at . ! or ? before a capital, a digit or a code span.
 */
export function sentencesWithin(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  const ends = [...oneLine.matchAll(/[.!?](?=\s+[A-Z0-9`"(])/g)].map((m) => m.index + 1);
  const fits = ends.filter((end) => end <= max);
  if (fits.length) return oneLine.slice(0, fits.at(-1));
  const cut = oneLine.lastIndexOf(' ', max - 1);
  return `${oneLine.slice(0, cut > 0 ? cut : max - 1)}…`;
}
