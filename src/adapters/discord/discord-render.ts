/** Renders the neutral OutboundMessage/Card to a Discord message: content fallback, one embed, button rows, within Discord's limits. */
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  type RawFile,
} from 'discord.js';
import { BRAND } from '../../core/brand.ts';
import { type ManagerCommandName, refsAsPlainText, replaceRefs } from '../../core/render/text.ts';
import type { Accent, Button, Card, OutboundMessage } from '../../core/types.ts';
import { MANAGE_COMMAND_NAME } from './discord-commands.ts';

// Limits from discord/discord-api-docs (see ../shared/reference/platform-facts.md §2.4). Lengths are
// counted in UTF-16 code units, which is never fewer than the characters Discord counts, so we stay inside.

/** Message `content` ≤ 2000 characters: resources/message.mdx L1080. */
export const MAX_CONTENT = 2000;
/** Embed title ≤ 256: resources/message.mdx L603-619 (embed limits table). */
export const MAX_EMBED_TITLE = 256;
/** Embed description ≤ 4096: resources/message.mdx L603-619. */
export const MAX_EMBED_DESCRIPTION = 4096;
/** At most 25 fields per embed: resources/message.mdx L603-619. */
export const MAX_EMBED_FIELDS = 25;
/** Field name ≤ 256: resources/message.mdx L603-619. */
export const MAX_FIELD_NAME = 256;
/** Field value ≤ 1024: resources/message.mdx L603-619. */
export const MAX_FIELD_VALUE = 1024;
/** Footer text ≤ 2048: resources/message.mdx L603-619. */
export const MAX_EMBED_FOOTER = 2048;
/** Title, description, field names and values, footer and author together ≤ 6000: resources/message.mdx L619. */
export const MAX_EMBED_TOTAL = 6000;
/** custom_id is 1–100 characters: components/reference.mdx L81. */
export const MAX_CUSTOM_ID = 100;
/** A button label ≤ 80: components/reference.mdx L175. */
const MAX_BUTTON_LABEL = 80;
/** ≤ 5 buttons per action row: components/reference.mdx L94, L108. */
export const MAX_BUTTONS_PER_ROW = 5;
/** Legacy (non Components V2) messages allow ≤ 5 top-level action rows: components/reference.mdx L2542. */
export const MAX_ACTION_ROWS = 5;

const ELLIPSIS = '…';
/** Discord refuses empty field names and values; a zero-width space keeps the layout. */
const BLANK = '\u200b';

/** Each message kind's colour, from the one home of the bot's colours. */
const COLORS: Record<Accent, number> = {
  drill: hexColour(BRAND.drill),
  results: hexColour(BRAND.results),
  attention: hexColour(BRAND.attention),
  board: hexColour(BRAND.board),
  progress: hexColour(BRAND.progress),
};

function hexColour(hex: string): number {
  return Number.parseInt(hex.slice(1), 16);
}

const STYLES: Record<
  NonNullable<Button['style']>,
  ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary
> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

/** Separates the core's action id from its value inside a custom_id; neither uses it. */
const CUSTOM_ID_SEPARATOR = '|';

interface DiscordFile {
  name: string;
  data: Buffer;
  contentType: string;
  /** Shown to screen readers and when the image does not load (at most 1,024 characters). */
  description?: string;
}

const fileBytes = (content: string | Uint8Array) =>
  typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);

/** A message body for create/edit message and interaction responses, plus the file to upload with it. */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** Nobody is pinged by what the bot writes: drills and boards name people without notifying them. */
  allowed_mentions: { parse: [] };
  file?: DiscordFile;
}

/** Cuts text to `max`, marking the cut, without splitting a surrogate pair or leaving a code fence open. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cutAt = (n: number) => {
    let s = text.slice(0, n);
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1);
    return s;
  };
  const head = cutAt(max - ELLIPSIS.length);
  const fences = head.match(/```/g)?.length ?? 0;
  if (fences % 2 === 0) return head + ELLIPSIS;
  const closing = `${ELLIPSIS}\n\`\`\``;
  return cutAt(max - closing.length) + closing;
}

export function customId(button: Pick<Button, 'actionId' | 'value'>): string {
  const id = `${button.actionId}${CUSTOM_ID_SEPARATOR}${button.value}`;
  // A shortened id would route the click somewhere else; a button this long is a bug in its definition.
  if (id.length > MAX_CUSTOM_ID)
    throw new Error(`button custom_id is ${id.length} characters; Discord allows ${MAX_CUSTOM_ID}`);
  return id;
}

/** The core's action id and value back from a custom_id; undefined for ids the core did not make. */
export function parseCustomId(id: string): { actionId: string; value: string } | undefined {
  const at = id.indexOf(CUSTOM_ID_SEPARATOR);
  if (at <= 0) return undefined;
  return { actionId: id.slice(0, at), value: id.slice(at + 1) };
}

/** Discord snowflakes: user and channel ids are decimal numbers. */
const SNOWFLAKE = /^\d{1,25}$/;

/** Manager subcommands are registered under /roadmap-manage on Discord (discord-commands.ts). */
const managerCommand: ManagerCommandName = (words) => `/${MANAGE_COMMAND_NAME} ${words}`;

/**
 * Markdown for places Discord renders it (content, description, field values): the core's neutral
 * references become `<#123>` / `<@123>`, and mention syntax that is not one of them (typed into a name)
 * is escaped, so user text never turns into a mention or a channel link.
 */
function discordText(text: string): string {
  const escaped = text.replace(/<(?=[@#][!&]?\d|:\w+:\d|a:\w+:\d|t:\d)/g, '\\<');
  return replaceRefs(
    escaped,
    (r) =>
      SNOWFLAKE.test(r.id)
        ? `<${r.kind === 'channel' ? '#' : '@'}${r.id}>`
        : `${r.kind === 'channel' ? '#' : '@'}${r.label ?? r.id}`,
    managerCommand,
  );
}

/** Text Discord shows as written (titles, field names, footers, button labels): references as words. */
const plainText = (text: string) => refsAsPlainText(text, managerCommand);

/** The markdown subset maps almost 1:1 to Discord markdown; a section heading becomes a bold line. */
function sectionText(section: Card['sections'][number]): string {
  return discordText(section.heading ? `**${section.heading}**\n${section.body}` : section.body);
}

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

export function renderEmbed(card: Card): APIEmbed {
  const fields: APIEmbedField[] = (card.fields ?? []).slice(0, MAX_EMBED_FIELDS).map((f) => ({
    name: truncate(plainText(f.label), MAX_FIELD_NAME) || BLANK,
    value: truncate(discordText(f.value), MAX_FIELD_VALUE) || BLANK,
    ...(f.inline ? { inline: true } : {}),
  }));
  const embed: APIEmbed = {
    title: truncate(plainText(card.title), MAX_EMBED_TITLE),
    description: truncate(card.sections.map(sectionText).join('\n\n'), MAX_EMBED_DESCRIPTION),
    ...(card.url && /^https?:\/\//.test(card.url) ? { url: card.url } : {}),
    ...(card.accent ? { color: COLORS[card.accent] } : {}),
    ...(fields.length ? { fields } : {}),
    ...(card.footer ? { footer: { text: truncate(plainText(card.footer), MAX_EMBED_FOOTER) } } : {}),
  };
  // Over the 6000 total: shorten the description first (it is the longest part), then drop trailing fields.
  let excess = embedLength(embed) - MAX_EMBED_TOTAL;
  if (excess > 0 && embed.description) {
    const keep = Math.max(ELLIPSIS.length + 4, embed.description.length - excess);
    embed.description = truncate(embed.description, keep);
    excess = embedLength(embed) - MAX_EMBED_TOTAL;
  }
  while (excess > 0 && embed.fields?.length) {
    embed.fields = embed.fields.slice(0, -1);
    excess = embedLength(embed) - MAX_EMBED_TOTAL;
  }
  if (embed.fields?.length === 0) delete embed.fields;
  return embed;
}

function renderButtons(buttons: readonly Button[]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const max = MAX_BUTTONS_PER_ROW * MAX_ACTION_ROWS;
  // Dropping a button would silently remove a choice (an answer option); refuse instead.
  if (buttons.length > max)
    throw new Error(`${buttons.length} buttons; a Discord message holds at most ${max}`);
  const ids = new Set<string>();
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  buttons.forEach((b, i) => {
    const id = customId(b);
    // components/reference.mdx L85: custom_id must be unique per message.
    if (ids.has(id)) throw new Error(`duplicate button custom_id "${id}"`);
    ids.add(id);
    if (i % MAX_BUTTONS_PER_ROW === 0) rows.push({ type: ComponentType.ActionRow, components: [] });
    rows.at(-1)!.components.push({
      type: ComponentType.Button,
      custom_id: id,
      label: truncate(plainText(b.label), MAX_BUTTON_LABEL),
      style: STYLES[b.style ?? 'default'],
    });
  });
  return rows;
}

/**
 * The content fallback is always set: it is what notifications and screen readers show. With a card it is
 * the message's first line (the card's title), so the embed does not repeat underneath it.
 */
function contentFor(message: OutboundMessage): string {
  const text = message.card
    ? (message.text.split('\n').find((l) => l.trim()) ?? plainText(message.card.title))
    : message.text;
  return truncate(discordText(text).trim() || BLANK, MAX_CONTENT);
}

export function renderMessage(message: OutboundMessage): DiscordMessage {
  const rendered: DiscordMessage = {
    content: contentFor(message),
    embeds: message.card ? [renderEmbed(message.card)] : [],
    components: message.card?.buttons?.length ? renderButtons(message.card.buttons) : [],
    allowed_mentions: { parse: [] },
  };
  if (message.attachment)
    rendered.file = {
      name: message.attachment.filename,
      data: fileBytes(message.attachment.content),
      contentType: message.attachment.contentType,
      ...(message.attachment.description ? { description: message.attachment.description } : {}),
    };
  return rendered;
}

/** The JSON part of a message; a file's description rides in `attachments`, matched to the upload by index. */
export function messageJson(rendered: DiscordMessage) {
  const { file, ...json } = rendered;
  if (!file?.description) return json;
  return { ...json, attachments: [{ id: 0, filename: file.name, description: file.description }] };
}

/** The file to upload beside the JSON, as @discordjs/rest takes it. */
export function messageFiles(rendered: DiscordMessage): RawFile[] | undefined {
  return rendered.file
    ? [{ name: rendered.file.name, data: rendered.file.data, contentType: rendered.file.contentType }]
    : undefined;
}

/** Discord markdown as a reader sees it: links by their label, no emphasis or code marks. */
function markdownAsSeen(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((?:https?:[^)\s]+)\)/g, '$1')
    .replace(/```[a-z0-9+#-]*\n?/gi, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1');
}

/**
 * The text a reader sees in a rendered message: the content line, the embed's title, description, fields
 * and footer, and the button labels, with markdown markers and link targets left out.
 */
export function discordVisibleText(message: DiscordMessage): string {
  const embeds = message.embeds.flatMap((e) => [
    e.title ?? '',
    e.description ?? '',
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    e.footer?.text ?? '',
  ]);
  const labels = message.components.flatMap((row) => row.components.map((c) => c.label ?? ''));
  return [message.content, ...embeds, ...labels]
    .map(markdownAsSeen)
    .filter((t) => t.length > 0 && t !== BLANK)
    .join('\n');
}
