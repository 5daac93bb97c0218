/** Plain text from the neutral model: the fallback every message carries, and the terminal's base rendering. */
import type { Card } from '../types.ts';

/** Removes the markdown subset's markers for places that show raw text (notifications, fallbacks). */
export function stripMarkdown(md: string): string {
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

/** A text bar for progress, e.g. ▰▰▰▱▱▱▱▱▱▱ for 30%. */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}
