/** What a reader sees in a rendered Slack message: what drill lengths are measured in. */
import { mrkdwnAsSeen, type SlackBlock, type SlackMessage } from './slack-render.ts';

const blockText = (b: SlackBlock): string[] => {
  if (b.type === 'header') return [b.text.text];
  if (b.type === 'section') return [b.text, ...(b.fields ?? [])].map((t) => (t ? mrkdwnAsSeen(t.text) : ''));
  if (b.type === 'context') return b.elements.map((t) => mrkdwnAsSeen(t.text));
  return b.elements.map((e) => e.text.text);
};

/**
 * The text a reader sees in a rendered message, one block to a line in the order Slack shows them (the
 * message's blocks, then its colour bar's): headers, sections, fields, context and button labels, with mrkdwn
 * markers and link targets left out.
 */
export function slackVisibleText(message: SlackMessage): string {
  if (!message.blocks) return mrkdwnAsSeen(message.text);
  return [...message.blocks, ...(message.attachments ?? []).flatMap((a) => a.blocks)]
    .flatMap(blockText)
    .filter((t) => t.length > 0)
    .join('\n');
}
