/**
 * Every drill as Slack and Discord would show it, through the real renderers: how long its visible text is
 * and whether any part was cut to fit a platform limit. `content:check` fails on either; the drill-length
 * bench prints the distribution.
 */
import { discordVisibleText, renderMessage } from '../adapters/discord/discord-render.ts';
import { renderSlackMessage, type SlackMessage, toMrkdwn } from '../adapters/slack/slack-render.ts';
import { slackVisibleText } from '../adapters/slack/slack-visible.ts';
import type { Question, StudyCard, Track } from '../content/track.ts';
import type { OutboundMessage } from '../core/types.ts';
import { DRILL_VISIBLE_MAX, drillMessage } from '../deliveries/messages.ts';

export { DRILL_VISIBLE_MAX };

export interface DrillLength {
  questionId: string;
  slack: number;
  discord: number;
  /** Parts a renderer cut or left out to fit a platform limit. */
  cut: string[];
}

/** The drill at its longest: a late review day far into the programme with a five-digit answer count. */
export function longestDrill(track: Track, card: StudyCard, question: Question): OutboundMessage {
  const delivery = {
    id: 1_000_000_000,
    studyDay: 365,
    late: true,
    localDate: '2026-12-31',
    isReview: true,
    reviewDue: 10_000,
  };
  return drillMessage(track, card, question, delivery, 10_000);
}

/** What Slack's renderer cut: a shortened body, a clipped text (which ends in "…" only when cut). */
function slackCuts(rendered: SlackMessage): string[] {
  const cuts: string[] = [];
  for (const b of [...(rendered.blocks ?? []), ...(rendered.attachments ?? []).flatMap((a) => a.blocks)]) {
    if (b.block_id === 'shortened') cuts.push('Slack: the body was shortened to 50 blocks');
    if (b.type === 'actions')
      for (const e of b.elements) if (e.text.text.endsWith('…')) cuts.push(`Slack: button "${e.text.text}"`);
    if (b.type === 'header' && b.text.text.endsWith('…')) cuts.push('Slack: the title');
    if (b.type === 'section' && /\.s\d+\.[1-9]/.test(`.${b.block_id}`)) cuts.push('Slack: a section split');
  }
  return cuts;
}

/** What the renderers cut or left out of a message to fit Slack's and Discord's limits (empty: nothing). */
export function renderCuts(message: OutboundMessage): string[] {
  const slack = renderSlackMessage(message);
  const discord = renderMessage(message);
  const cut = slackCuts(slack);
  if (slack.text !== toMrkdwn(message.text)) cut.push('Slack: the notification text');
  const embed = discord.embeds[0];
  if (embed?.description?.endsWith('…') || embed?.title?.endsWith('…')) cut.push('Discord: the embed');
  if (embed?.fields?.length !== (message.card?.fields?.length || undefined)) cut.push('Discord: a field');
  for (const row of discord.components)
    for (const c of row.components) if (c.label?.endsWith('…')) cut.push(`Discord: button "${c.label}"`);
  return cut;
}

export function measureDrill(message: OutboundMessage, questionId: string): DrillLength {
  return {
    questionId,
    slack: slackVisibleText(renderSlackMessage(message)).length,
    discord: discordVisibleText(renderMessage(message)).length,
    cut: renderCuts(message),
  };
}

/** Every question of the track as a drill, at its longest. */
export function measureDrills(track: Track): DrillLength[] {
  return track.cards.flatMap((card) =>
    card.questions.map((q) => measureDrill(longestDrill(track, card, q), q.id)),
  );
}

/** The visible-length distribution of every drill post at its longest, per platform: p50, p95, max. */
export function drillLengthSummary(lengths: readonly DrillLength[]): string {
  const stats = (values: number[]) => {
    const s = [...values].sort((x, y) => x - y);
    const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0;
    const over = s.filter((v) => v > DRILL_VISIBLE_MAX).length;
    return `p50 ${at(0.5)}, p95 ${at(0.95)}, max ${s.at(-1) ?? 0}, ${over} over ${DRILL_VISIBLE_MAX}`;
  };
  return `drill posts (visible characters, at their longest): Slack ${stats(lengths.map((m) => m.slack))}; Discord ${stats(lengths.map((m) => m.discord))}`;
}
