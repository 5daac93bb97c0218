/** Renders the neutral OutboundMessage/Card as Block Kit with a text fallback, inside Slack's limits. */
import { BRAND } from '../../core/brand.ts';
import { clip, refsAsPlainText, replaceRefs } from '../../core/render/text.ts';
import type { Button, Card, OutboundMessage } from '../../core/types.ts';

export { clip };

/*
 * Block Kit limits. Sources: https://docs.slack.dev/reference/block-kit/blocks and the typed limits in
 * slackapi/node-slack-sdk packages/types/src/block-kit (blocks.ts, block-elements.ts, extensions.ts).
 */
/** "You can include up to 50 blocks in each message" (docs.slack.dev/reference/block-kit/blocks). */
export const MAX_BLOCKS = 50;
/** Section `text`: 1–3000 characters (types/src/block-kit/blocks.ts, SectionBlock.text). */
export const MAX_SECTION_TEXT = 3000;
/** Section `fields`: at most 10 items (blocks.ts, SectionBlock.fields). */
export const MAX_SECTION_FIELDS = 10;
/** Each section field: at most 2000 characters (blocks.ts, SectionBlock.fields). */
export const MAX_FIELD_TEXT = 2000;
/** Header `text`: at most 150 characters (blocks.ts, HeaderBlock.text). */
export const MAX_HEADER_TEXT = 150;
/** Actions block: at most 25 elements (blocks.ts, ActionsBlock.elements). */
export const MAX_ACTIONS_ELEMENTS = 25;
/** Button `text`: at most 75 characters (block-elements.ts, Button.text). */
export const MAX_BUTTON_TEXT = 75;
/** Button `value`: at most 2000 characters (block-elements.ts, Button.value). */
export const MAX_BUTTON_VALUE = 2000;
/** `action_id`: at most 255 characters (types/src/block-kit/extensions.ts, Actionable.action_id). */
export const MAX_ACTION_ID = 255;
/** `block_id`: at most 255 characters (blocks.ts, Block.block_id). */
export const MAX_BLOCK_ID = 255;
/** Context block: at most 10 elements (blocks.ts, ContextBlock.elements); we use one text element of ≤3000. */
const MAX_CONTEXT_TEXT = 3000;
/**
 * Top-level `text`: chat.postMessage asks to "limit the number of characters in the text field to 4,000"
 * (docs.slack.dev/reference/methods/chat.postMessage). With blocks it is only the notification fallback.
 */
export const MAX_FALLBACK_TEXT = 4000;
/**
 * An attachment's text "will automatically collapse if it contains 700+ characters or 5+ line breaks" behind
 * "Show more…" (@slack/types message-attachments.d.ts, MessageAttachment.text). Slack documents no limit for
 * blocks inside an attachment, so the line a colour bar holds stays under both.
 */
export const BAR_FOLD_CHARS = 700;
export const BAR_FOLD_BREAKS = 5;

/** Separates a button's action id from its position: Slack wants action ids unique within a block. */
const ACTION_INDEX_SEPARATOR = '#';

// Minimal Block Kit shapes we emit; structurally compatible with @slack/types' KnownBlock.
interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
interface ButtonElement {
  type: 'button';
  text: TextObject;
  action_id: string;
  value: string;
  style?: 'primary' | 'danger';
}
export type SlackBlock =
  | { type: 'header'; block_id: string; text: TextObject }
  | { type: 'section'; block_id: string; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; block_id: string; elements: TextObject[] }
  | { type: 'actions'; block_id: string; elements: ButtonElement[] };

/** A secondary attachment holding blocks: Slack's only colour bar (`color`), with no legacy fields beside it. */
interface SlackAttachment {
  color: string;
  /** The attachment's line as plain text, for clients that show no blocks. */
  fallback: string;
  blocks: SlackBlock[];
}

export interface SlackMessage {
  /** Always set: the notification text and what clients without blocks show. */
  text: string;
  blocks?: SlackBlock[];
  /** A card with a kind: one attachment, its kind's colour beside the card's last line (`withColourBar`). */
  attachments?: SlackAttachment[];
}

/** Escapes the three characters Slack's mrkdwn reserves ("&", "<", ">"). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A block id within Slack's limit; ids are ours, so an overlong one is a bug, not user input. */
export function blockId(id: string): string {
  if (id.length > MAX_BLOCK_ID)
    throw new RangeError(`block_id is ${id.length} characters; Slack allows ${MAX_BLOCK_ID}`);
  return id;
}

const convertLink = (label: string, url: string) =>
  `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;

/** Converts plain (non-code) text: escapes, links, **bold** → *bold*; _italic_ is the same in mrkdwn. */
function convertInline(text: string): string {
  const out: string[] = [];
  const link = /\[([^\]]+)\]\((https?:[^)\s]+)\)/g;
  let last = 0;
  for (let m = link.exec(text); m; m = link.exec(text)) {
    out.push(convertEmphasis(text.slice(last, m.index)), convertLink(m[1]!, m[2]!));
    last = m.index + m[0].length;
  }
  out.push(convertEmphasis(text.slice(last)));
  return out.join('');
}

function convertEmphasis(text: string): string {
  return slackRefs(escapeMrkdwn(text).replace(/\*\*(.+?)\*\*/g, '*$1*'));
}

/** Slack user and channel ids: a letter and capitals or digits (U…, W…, C…, G…, D…). */
const SLACK_ID = /^[A-Z][A-Z0-9]{1,30}$/;

/**
 * The core's neutral references as Slack links (`<#C123>`, `<@U123>`), which Slack shows with the
 * channel's or member's current name. `text` is already escaped mrkdwn; a reference whose id is not a
 * Slack id (a test channel, another platform's) is written out as plain words.
 */
function slackRefs(text: string): string {
  return replaceRefs(text, (r) =>
    SLACK_ID.test(r.id)
      ? `<${r.kind === 'channel' ? '#' : '@'}${r.id}>`
      : `${r.kind === 'channel' ? '#' : '@'}${r.label ?? r.id}`,
  );
}

/** Text for places Slack shows as written (headers, button labels, code): references as plain words. */
const plainRefs = refsAsPlainText;

/**
 * **bold** whose text may hold `code` spans, converted before the text is cut at its code spans; a code span
 * met first is passed over whole, so ** inside code stays literal.
 */
const BOLD_ACROSS_CODE = /`[^`\n]+`|\*\*((?:[^*`\n]|`[^`\n]+`)+?)\*\*/g;
const boldAcrossCode = (text: string) =>
  text.replace(BOLD_ACROSS_CODE, (match, bold: string | undefined) =>
    bold === undefined ? match : `*${bold}*`,
  );

/**
 * The core's markdown subset as Slack mrkdwn: **bold** → *bold*, [label](url) → <url|label>, "- " → "• ",
 * fenced code without its language tag (Slack has none), `code` kept, and & < > escaped everywhere.
 */
export function toMrkdwn(markdown: string): string {
  const parts = markdown.split(/(```[a-z0-9+#-]*\n?[\s\S]*?```)/i);
  return parts
    .map((part) => {
      const fence = /^```[a-z0-9+#-]*\n?([\s\S]*?)```$/i.exec(part);
      if (fence) return `\`\`\`\n${escapeMrkdwn(plainRefs(fence[1]!.replace(/\n$/, '')))}\n\`\`\``;
      const bulleted = boldAcrossCode(part.replace(/^- /gm, '• '));
      return bulleted
        .split(/(`[^`\n]+`)/)
        .map((seg) => (/^`[^`\n]+`$/.test(seg) ? escapeMrkdwn(plainRefs(seg)) : convertInline(seg)))
        .join('');
    })
    .join('');
}

/**
 * Splits mrkdwn into pieces of at most `max` characters, at line breaks where possible. A fenced code
 * block cut in two is closed at the end of one piece and reopened at the start of the next.
 */
export function splitMrkdwn(text: string, max = MAX_SECTION_TEXT): string[] {
  if (text.length <= max) return [text];
  const FENCE = '```';
  const pieces: string[] = [];
  let rest = text;
  let reopen = false;
  while (rest.length > 0) {
    const prefix: string = reopen ? `${FENCE}\n` : '';
    // Room for a closing fence in case this piece ends inside a code block.
    const room = max - prefix.length - (FENCE.length + 1);
    if (prefix.length + rest.length <= max) {
      pieces.push(prefix + rest);
      break;
    }
    let cut = rest.lastIndexOf('\n', room);
    if (cut <= 0) cut = room;
    let piece = rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\n/, '');
    const fences: number = (prefix + piece).split(FENCE).length - 1;
    reopen = fences % 2 === 1;
    if (reopen) piece = `${piece}\n${FENCE}`;
    pieces.push(prefix + piece);
  }
  return pieces;
}

/** The action id Slack sees for a button: the core's id plus its position, unique within the message. */
export function slackActionId(actionId: string, index: number): string {
  const id = `${actionId}${ACTION_INDEX_SEPARATOR}${index}`;
  if (id.length > MAX_ACTION_ID)
    throw new RangeError(
      `action_id "${id.slice(0, 40)}…" is ${id.length} characters; Slack allows ${MAX_ACTION_ID}`,
    );
  return id;
}

/** The core's action id back from a clicked button's action_id. */
export function coreActionId(slackId: string): string {
  const at = slackId.lastIndexOf(ACTION_INDEX_SEPARATOR);
  return at > 0 && /^\d+$/.test(slackId.slice(at + 1)) ? slackId.slice(0, at) : slackId;
}

function buttonElement(button: Button, index: number): ButtonElement {
  if (button.value.length > MAX_BUTTON_VALUE)
    throw new RangeError(
      `button value is ${button.value.length} characters; Slack allows ${MAX_BUTTON_VALUE}`,
    );
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(plainRefs(button.label), MAX_BUTTON_TEXT), emoji: true },
    action_id: slackActionId(button.actionId, index),
    value: button.value,
    ...(button.style && button.style !== 'default' ? { style: button.style } : {}),
  };
}

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });

export function cardBlocks(card: Card): SlackBlock[] {
  const head: SlackBlock[] = card.url
    ? [
        {
          type: 'section',
          block_id: blockId('title'),
          text: mrkdwn(clip(`*${convertLink(plainRefs(card.title), card.url)}*`, MAX_SECTION_TEXT)),
        },
      ]
    : [
        {
          type: 'header',
          block_id: blockId('title'),
          text: { type: 'plain_text', text: clip(plainRefs(card.title), MAX_HEADER_TEXT), emoji: true },
        },
      ];

  const body: SlackBlock[] = [];
  card.sections.forEach((section, i) => {
    const text = `${section.heading ? `*${slackRefs(escapeMrkdwn(section.heading))}*\n` : ''}${toMrkdwn(section.body)}`;
    splitMrkdwn(text).forEach((piece, j) => {
      if (piece.trim()) body.push({ type: 'section', block_id: blockId(`s${i}.${j}`), text: mrkdwn(piece) });
    });
  });
  const fields = card.fields ?? [];
  for (let i = 0; i < fields.length; i += MAX_SECTION_FIELDS) {
    body.push({
      type: 'section',
      block_id: blockId(`f${i / MAX_SECTION_FIELDS}`),
      fields: fields
        .slice(i, i + MAX_SECTION_FIELDS)
        .map((f) =>
          mrkdwn(clip(`*${slackRefs(escapeMrkdwn(f.label))}*\n${toMrkdwn(f.value)}`, MAX_FIELD_TEXT)),
        ),
    });
  }

  const tail: SlackBlock[] = [];
  if (card.footer)
    tail.push({
      type: 'context',
      block_id: blockId('footer'),
      elements: [mrkdwn(clip(toMrkdwn(card.footer), MAX_CONTEXT_TEXT))],
    });
  const buttons = card.buttons ?? [];
  for (let i = 0; i < buttons.length; i += MAX_ACTIONS_ELEMENTS) {
    tail.push({
      type: 'actions',
      block_id: blockId(`actions${i / MAX_ACTIONS_ELEMENTS}`),
      elements: buttons.slice(i, i + MAX_ACTIONS_ELEMENTS).map((b, j) => buttonElement(b, i + j)),
    });
  }

  // Over 50 blocks: keep the title, the footer and every button (they are what a reader acts on) and
  // shorten the body, saying so, rather than have Slack refuse the whole message.
  const room = MAX_BLOCKS - head.length - tail.length;
  if (room < 1)
    throw new RangeError(`a card with ${buttons.length} buttons cannot fit in ${MAX_BLOCKS} blocks`);
  if (body.length > room) {
    body.length = room - 1;
    body.push({
      type: 'context',
      block_id: blockId('shortened'),
      elements: [mrkdwn('_This message was shortened to fit Slack; the rest is in the notification text._')],
    });
  }
  return [...head, ...body, ...tail];
}

/** A block's one line of mrkdwn, if it is a footer or a section of text; undefined for other blocks. */
function lineOf(b: SlackBlock | undefined): string | undefined {
  if (b?.type === 'context' && b.block_id === 'footer') return b.elements[0]?.text;
  if (b?.type === 'section' && /^s\d/.test(b.block_id) && !b.fields) return b.text?.text;
  return undefined;
}

/**
 * The card's kind as Slack's colour bar. Block Kit has no colour, so the kind's colour (BRAND, as on Discord) is
 * a secondary attachment's, holding the card's last line: its footer, or without one its last section when
 * nothing else follows it but buttons. Only that line, and only under the attachment fold limits: the title,
 * body and buttons stay in the message's own blocks, where no attachment folding can hide them behind "Show
 * more". A card without such a line keeps every block and has no bar. Modals and the App Home take no
 * attachments: they show `cardBlocks` as they are.
 */
function withColourBar(card: Card, blocks: SlackBlock[]): Pick<SlackMessage, 'blocks' | 'attachments'> {
  if (!card.accent) return { blocks };
  const footer = blocks.findIndex((b) => b.block_id === 'footer');
  const at = footer >= 0 ? footer : blocks.findLastIndex((b) => b.type !== 'actions');
  const line = lineOf(blocks[at]);
  if (at < 1 || !line || line.length >= BAR_FOLD_CHARS || line.split('\n').length > BAR_FOLD_BREAKS)
    return { blocks };
  const bar = { color: BRAND[card.accent], fallback: mrkdwnAsSeen(line), blocks: [blocks[at]!] };
  return { blocks: blocks.filter((_, i) => i !== at), attachments: [bar] };
}

/** Block Kit plus the fallback text for a neutral message. */
export function renderSlackMessage(message: OutboundMessage): SlackMessage {
  const text = toMrkdwn(message.text);
  if (!message.card) {
    if (text.length <= MAX_FALLBACK_TEXT) return { text };
    const blocks = splitMrkdwn(text)
      .slice(0, MAX_BLOCKS)
      .map((piece, i): SlackBlock => ({ type: 'section', block_id: blockId(`t${i}`), text: mrkdwn(piece) }));
    return { text: clip(text, MAX_FALLBACK_TEXT), blocks };
  }
  return { text: clip(text, MAX_FALLBACK_TEXT), ...withColourBar(message.card, cardBlocks(message.card)) };
}

/** mrkdwn as a reader sees it: links by their label, no emphasis marks, entities decoded. */
export function mrkdwnAsSeen(text: string): string {
  return text
    .replace(/<[^|>]+\|([^>]*)>/g, '$1')
    .replace(/```\n?/g, '')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,!?:;]|$)/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
