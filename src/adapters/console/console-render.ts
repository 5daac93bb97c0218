/** Renders neutral messages for a terminal: the markdown subset as ANSI styles, buttons as letters to type. */
import { replaceRefs } from '../../core/render/text.ts';
import type { Button, OutboundMessage } from '../../core/types.ts';

/** The terminal is one channel; it is shown by the name a study channel would have. */
const TERMINAL_CHANNEL = { id: 'terminal', name: 'study' } as const;

/** The core's neutral references as words: `#study` for the terminal's channel, `@Ana` for a member. */
function terminalRefs(text: string): string {
  return replaceRefs(text, (r) =>
    r.kind === 'channel'
      ? `#${r.label ?? (r.id === TERMINAL_CHANNEL.id ? TERMINAL_CHANNEL.name : r.id)}`
      : `@${r.label ?? r.id}`,
  );
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  code(s: string): string;
  title(s: string): string;
}

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  code: ansi(36, 39),
  title: (s) => ansi(1, 22)(ansi(33, 39)(s)),
};
export const NO_COLOR: Style = { bold: (s) => s, dim: (s) => s, code: (s) => s, title: (s) => s };

/**
 * Board symbols in words, for terminals that draw emoji badly or not at all: "🥇 Ana 🔥5 · ▲2" reads
 * "1st Ana streak 5 · up 2".
 */
const SYMBOLS: [RegExp, string][] = [
  [/🥇/g, '1st'],
  [/🥈/g, '2nd'],
  [/🥉/g, '3rd'],
  [/ ?🔥(\d+)/g, ' streak $1'],
  [/▲(\d+)/g, 'up $1'],
  [/▼(\d+)/g, 'down $1'],
  [/🔥/g, 'streak:'],
  [/▲▼/g, 'up/down:'],
];

function plainSymbols(text: string): string {
  return SYMBOLS.reduce((t, [pattern, words]) => t.replace(pattern, words), text);
}

function markdownToTerminal(md: string, style: Style): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of plainSymbols(terminalRefs(md)).split('\n')) {
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(`    ${style.code(line)}`);
      continue;
    }
    out.push(
      line
        .replace(/^- /, '  • ')
        .replace(/\*\*(.+?)\*\*/g, (_, t: string) => style.bold(t))
        .replace(/`([^`]+)`/g, (_, t: string) => style.code(t))
        .replace(
          /\[([^\]]+)\]\((https?:[^)]+)\)/g,
          (_, t: string, u: string) => `${t} ${style.dim(`<${u}>`)}`,
        )
        .replace(/(^|[\s(])_(.+?)_(?=[\s).,!?:;]|$)/g, '$1$2'),
    );
  }
  return out.join('\n');
}

/** What a terminal user types to press a button: an answer button's letter, another button's first letter. */
export function buttonKey(button: Button): string {
  return (button.key ?? /[\p{L}\p{N}]/u.exec(button.label)?.[0] ?? '?').toUpperCase();
}

/** Labels longer than this put each button on its own line (a drill's options on their buttons). */
const INLINE_LABEL_MAX = 24;

function renderButtons(buttons: readonly Button[], style: Style): string {
  if (buttons.every((b) => b.label.length === 1))
    return `${buttons.map((b) => style.bold(`[${terminalRefs(b.label)}]`)).join(' ')}  ${style.dim('type a letter to answer')}`;
  // Named buttons (Join the cohort) show the key to type; their first word works too.
  const keys = buttons.map((b) => `${buttonKey(b)} or "${b.label.split(/\s+/)[0]!.toLowerCase()}"`);
  const shown = buttons.map((b) =>
    b.label === buttonKey(b)
      ? style.bold(`[${b.label}]`)
      : `${style.bold(`[${buttonKey(b)}]`)} ${terminalRefs(keyless(b))}`,
  );
  if (buttons.some((b) => b.label.length > INLINE_LABEL_MAX))
    return `${shown.join('\n')}\n${style.dim(`type ${buttons.map(buttonKey).join(', ')} to press`)}`;
  return `${shown.join('   ')}  ${style.dim(`type ${keys.join(', ')} to press`)}`;
}

/** A label without its own key in front ("A · Idempotent" shows as "[A] Idempotent"). */
function keyless(button: Button): string {
  const key = buttonKey(button);
  return button.label.startsWith(`${key} · `) ? button.label.slice(key.length + 3) : button.label;
}

export function renderForTerminal(msg: OutboundMessage, style: Style): string {
  const card = msg.card;
  if (!card) return markdownToTerminal(msg.text, style);
  const parts = [style.title(terminalRefs(card.title))];
  for (const s of card.sections)
    parts.push(
      s.heading
        ? `${style.bold(terminalRefs(s.heading))}\n${markdownToTerminal(s.body, style)}`
        : markdownToTerminal(s.body, style),
    );
  if (card.fields?.length)
    parts.push(
      card.fields
        .map((f) => `${style.dim(`${terminalRefs(f.label)}:`)} ${terminalRefs(f.value)}`)
        .join('   '),
    );
  if (card.buttons?.length) parts.push(renderButtons(card.buttons, style));
  if (card.footer) parts.push(style.dim(markdownToTerminal(card.footer, style)));
  return parts.join('\n\n');
}
