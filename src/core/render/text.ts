/** Plain text from the neutral model: the fallback every message carries, and the terminal's base rendering. */
import { COMMAND_NAME } from '../commands/define.ts';
import type { Card } from '../types.ts';

/** Removes the markdown subset's markers for places that show raw text (notifications, fallbacks). */
function stripMarkdown(md: string): string {
  return md
    .replace(/```[a-z0-9+#-]*\n?/g, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|[\s(])_(.+?)_(?=[\s).,!?:;]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1 ($2)');
}

export function cardToText(card: Card): string {
  const parts = [card.title];
  for (const s of card.sections) parts.push(s.heading ? `${s.heading}\n${s.body}` : s.body);
  if (card.fields?.length) parts.push(card.fields.map((f) => `${f.label}: ${f.value}`).join('\n'));
  if (card.footer) parts.push(card.footer);
  return stripMarkdown(parts.join('\n\n'));
}

/** A share as a whole percentage ("80%"), or `empty` ("—" unless given) when there is nothing to divide by. */
export const pct = (n: number, d: number, empty = '—'): string =>
  d > 0 ? `${Math.round((n / d) * 100)}%` : empty;

/** A text bar for progress, e.g. ▰▰▰▱▱▱▱▱▱▱ for 30%. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

/** Cuts text to `max` characters, ending with an ellipsis when it was cut; never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/*
 * Neutral references. The core never writes a platform's mention syntax: it marks a channel or a member
 * with these private-use characters and each renderer turns the mark into its platform's link
 * (`<#C123>` on Slack, `<#123>` on Discord, `#study` in the terminal).
 */
const REF_OPEN = '\uE000';
const REF_CLOSE = '\uE001';
const REF = /\uE000([#@])([^|\uE000\uE001]+)(?:\|([^\uE000\uE001]*))?\uE001/g;
// Everything a reference's id or label may not hold: its own delimiters, a manager command's marks (below:
// a label is shown as words, so marks in it would name a command) and line breaks.
const REF_UNSAFE = /[\uE000-\uE003|\r\n]/g;

export type RefKind = 'channel' | 'user';

/** A channel, as a reference renderers link; `name` is shown where the platform cannot link. */
export function channelRef(channel: { channelId: string; name?: string | undefined }): string {
  const label = channel.name ? `|${channel.name.replace(REF_UNSAFE, ' ')}` : '';
  return `${REF_OPEN}#${channel.channelId.replace(REF_UNSAFE, '')}${label}${REF_CLOSE}`;
}

/** A member, as a reference renderers link (or name, where the platform cannot link). */
export function userRef(user: { userId: string; displayName?: string | undefined }): string {
  const label = user.displayName ? `|${user.displayName.replace(REF_UNSAFE, ' ')}` : '';
  return `${REF_OPEN}@${user.userId.replace(REF_UNSAFE, '')}${label}${REF_CLOSE}`;
}

/*
 * A manager command named in a message. Platforms register manager commands differently (Discord keeps them
 * under their own command, so members never see them), so the core marks them and each renderer names them:
 * `/roadmap schedule set` on Slack and in the terminal, `/roadmap-manage schedule set` on Discord. A member
 * command is written as typed (`/roadmap today`): it reads the same everywhere.
 */
const COMMAND_OPEN = '\uE002';
const COMMAND_CLOSE = '\uE003';
const COMMAND_REF = /\uE002([^\uE000-\uE003]*)\uE003/g;
const MARKS = /[\uE000-\uE003]/g;

/** How a platform writes a manager command from its words (`schedule set 09:00`). */
export type ManagerCommandName = (words: string) => string;

/** The manager command as typed where it lives under the one command (Slack, the terminal). */
const managerCommandAsTyped: ManagerCommandName = (words) => `/${COMMAND_NAME} ${words}`;

/** A manager command with any options after it, e.g. `managerCommand('schedule set 09:00')`. */
export function managerCommand(words: string): string {
  return `${COMMAND_OPEN}${words.replace(MARKS, '').replace(/[\r\n]+/g, ' ')}${COMMAND_CLOSE}`;
}

/**
 * Rewrites every reference in `text` with `render`, and every manager command with `command`; renderers
 * call it with their platform's syntax.
 */
export function replaceRefs(
  text: string,
  render: (ref: { kind: RefKind; id: string; label: string | undefined }) => string,
  command: ManagerCommandName = managerCommandAsTyped,
): string {
  return text
    .replace(REF, (_, mark: string, id: string, label: string | undefined) =>
      render({ kind: mark === '#' ? 'channel' : 'user', id, label: label || undefined }),
    )
    .replace(COMMAND_REF, (_, words: string) => command(words));
}

/** A reference as plain words (`#study`, `@Ana`), for places no platform links: titles, footers, logs. */
export function refsAsPlainText(text: string, command: ManagerCommandName = managerCommandAsTyped): string {
  return replaceRefs(
    text,
    (r) => (r.kind === 'channel' ? `#${r.label ?? r.id}` : `@${r.label ?? r.id}`),
    command,
  );
}

/**
 * User-supplied text (names of teams, cohorts, members) made inert inside the markdown subset: on one line,
 * `[label](https://…)` no longer forms a link on any renderer, and reference marks are dropped so typed
 * text can never become a mention.
 */
export function literal(text: string): string {
  return text
    .replace(MARKS, '')
    .replace(/\s+/g, ' ')
    .replace(/\]\s*\(/g, ']\u200B(');
}

/** The longest user value a reply echoes; longer ones are cut with an ellipsis. */
const MAX_ECHO = 40;

/**
 * A value the user typed, as a reply echoes it: on one line, clipped, inert, inside `code` (which it
 * cannot close), so no reason line grows with the input or turns it into markup.
 */
export function echo(value: unknown, max = MAX_ECHO): string {
  return `\`${clip(literal(String(value)).replace(/`/g, ' ').trim(), max)}\``;
}

/**
 * A member by name where one is known; a member the platform has not named to us yet (stored under a
 * placeholder: their id) as a reference, which Slack and Discord show with the member's real name.
 */
export function memberName(m: { userId: string; displayName?: string | undefined }): string {
  return m.displayName && m.displayName !== m.userId ? literal(m.displayName) : userRef({ userId: m.userId });
}

/** Names by member id from mentions, for nameList: each mention's name, else its id (shown as a reference). */
export function namesOf(people: readonly { userId: string; displayName?: string | undefined }[]) {
  return new Map(people.map((m) => [m.userId, m.displayName ?? m.userId]));
}

/** "**Ana**, **Ben** and **Cy**" from ids, by the names stored for them (a reference where none is). */
export function nameList(ids: readonly string[], names: ReadonlyMap<string, string>): string {
  const shown = ids.map((id) => `**${memberName({ userId: id, displayName: names.get(id) })}**`);
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

/** Text made safe inside HTML or SVG: in an element or a quoted attribute (the dashboard, a chart's label). */
export function escapeMarkup(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
