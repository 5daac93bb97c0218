/**
 * How long the daily drill is to read: every question of the real track as a drill post, rendered by the
 * Slack and Discord renderers, its visible text measured (links by label, no markup). Prints p50/p95/max per
 * platform, for the drill at its longest (late review day) and as most days look.
 *
 * `npm run bench -- drill-length [content-dir]`
 */
import path from 'node:path';
import { DRILL_VISIBLE_MAX, measureDrill } from '../src/cli/drill-lengths.ts';
import { loadTrack } from '../src/content/load.ts';
import { drillMessage } from '../src/deliveries/messages.ts';

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function row(label: string, values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const over = s.filter((v) => v > DRILL_VISIBLE_MAX).length;
  return `| ${label} | ${s.length} | ${quantile(s, 0.5)} | ${quantile(s, 0.95)} | ${s.at(-1)} | ${over} |`;
}

export default async function run(args: string[]): Promise<void> {
  const track = loadTrack(path.resolve(args[0] ?? 'content'), 'backend');
  const usual = { id: 4242, studyDay: 42, late: false, localDate: '2026-12-03' };
  const plain = track.cards.flatMap((card) =>
    card.questions.map((q) => measureDrill(drillMessage(track, card, q, usual, 17), q.id)),
  );
  const longest = track.cards.flatMap((card) =>
    card.questions.map((q) =>
      measureDrill(
        drillMessage(track, card, q, { ...usual, late: true, isReview: true, reviewDue: 10_000 }, 10_000),
        q.id,
      ),
    ),
  );
  const onButtons = track.cards
    .flatMap((c) => c.questions)
    .filter((q) => q.options.every((o, i) => `${'ABCD'[i]} · ${o.text.replace(/`/g, '')}`.length <= 75));
  console.log(
    `track ${track.id}: ${track.cards.length} cards, ${plain.length} questions; briefs of mean ${Math.round(track.cards.reduce((n, c) => n + c.brief.length, 0) / track.cards.length)} characters; options on the buttons in ${onButtons.length} questions`,
  );
  const shown = track.cards.flatMap((card) =>
    card.questions.map((q) => {
      const sections = drillMessage(track, card, q, usual, 17).card?.sections ?? [];
      const brief = sections.find((x) => card.brief.startsWith(x.body.replace(/…$/, '')));
      return !brief ? 'none' : brief.body === card.brief ? 'whole' : 'shortened';
    }),
  );
  const count = (k: string) => shown.filter((v) => v === k).length;
  console.log(
    `brief on a usual day: whole in ${count('whole')} posts, its first sentences in ${count('shortened')}, left to Read the card in ${count('none')}`,
  );
  console.log('| drill | posts | p50 | p95 | max | over 900 |');
  console.log('| ----- | ----- | --- | --- | --- | -------- |');
  console.log(
    row(
      'Slack, usual day',
      plain.map((m) => m.slack),
    ),
  );
  console.log(
    row(
      'Discord, usual day',
      plain.map((m) => m.discord),
    ),
  );
  console.log(
    row(
      'Slack, late review day',
      longest.map((m) => m.slack),
    ),
  );
  console.log(
    row(
      'Discord, late review day',
      longest.map((m) => m.discord),
    ),
  );
  const cut = longest.filter((m) => m.cut.length);
  console.log(`cut by a renderer: ${cut.length}`);
}
