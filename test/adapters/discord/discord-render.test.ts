import { ButtonStyle, EmbedBuilder } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  customId,
  MAX_ACTION_ROWS,
  MAX_BUTTONS_PER_ROW,
  MAX_CONTENT,
  MAX_CUSTOM_ID,
  MAX_EMBED_DESCRIPTION,
  MAX_EMBED_FIELDS,
  MAX_EMBED_FOOTER,
  MAX_EMBED_TITLE,
  MAX_EMBED_TOTAL,
  MAX_FIELD_NAME,
  MAX_FIELD_VALUE,
  parseCustomId,
  renderEmbed,
  renderMessage,
  truncate,
} from '../../../src/adapters/discord/discord-render.ts';
import type { Button, Card } from '../../../src/core/types.ts';

const card = (over: Partial<Card> = {}): Card => ({ title: 'T', sections: [{ body: 'body' }], ...over });

function embedTotal(e: ReturnType<typeof renderEmbed>): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** discord.js's EmbedBuilder validates lengths as it is built; it must accept what we render. */
function acceptedByBuilder(e: ReturnType<typeof renderEmbed>) {
  return new EmbedBuilder(e)
    .setTitle(e.title ?? null)
    .setDescription(e.description ?? null)
    .toJSON();
}

describe('Discord renderer limits', () => {
  it.each([
    [
      'title',
      MAX_EMBED_TITLE,
      (s: string) => card({ title: s }),
      (e: ReturnType<typeof renderEmbed>) => e.title,
    ],
    [
      'description',
      MAX_EMBED_DESCRIPTION,
      (s: string) => card({ sections: [{ body: s }] }),
      (e: ReturnType<typeof renderEmbed>) => e.description,
    ],
    [
      'footer',
      MAX_EMBED_FOOTER,
      (s: string) => card({ footer: s }),
      (e: ReturnType<typeof renderEmbed>) => e.footer?.text,
    ],
    [
      'field name',
      MAX_FIELD_NAME,
      (s: string) => card({ fields: [{ label: s, value: 'v' }] }),
      (e: ReturnType<typeof renderEmbed>) => e.fields?.[0]?.name,
    ],
    [
      'field value',
      MAX_FIELD_VALUE,
      (s: string) => card({ fields: [{ label: 'n', value: s }] }),
      (e: ReturnType<typeof renderEmbed>) => e.fields?.[0]?.value,
    ],
  ])('%s: kept whole at %i, cut with an ellipsis one above', (_name, max, make, pick) => {
    const exact = 'a'.repeat(max);
    expect(pick(renderEmbed(make(exact)))).toBe(exact);
    const over = pick(renderEmbed(make(`${exact}b`)));
    expect(over).toHaveLength(max);
    expect(over?.endsWith('…')).toBe(true);
    acceptedByBuilder(renderEmbed(make(`${exact}b`)));
  });

  it('keeps 25 fields and drops the 26th', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `f${i}`, value: `v${i}` }));
    expect(renderEmbed(card({ fields: fields(MAX_EMBED_FIELDS) })).fields).toHaveLength(25);
    expect(renderEmbed(card({ fields: fields(MAX_EMBED_FIELDS + 1) })).fields).toHaveLength(25);
  });

  it('keeps the whole embed within 6000 characters, shortening the description first', () => {
    const exact = card({
      title: 't'.repeat(256),
      sections: [{ body: 'd'.repeat(MAX_EMBED_TOTAL - 256 - 2048) }],
      footer: 'f'.repeat(2048),
    });
    expect(embedTotal(renderEmbed(exact))).toBe(MAX_EMBED_TOTAL);
    expect(renderEmbed(exact).description).not.toContain('…');
    const big = card({
      title: 't'.repeat(300),
      sections: [{ body: 'd'.repeat(5000) }],
      fields: Array.from({ length: 25 }, () => ({ label: 'n'.repeat(256), value: 'v'.repeat(1024) })),
      footer: 'f'.repeat(3000),
    });
    const e = renderEmbed(big);
    expect(embedTotal(e)).toBeLessThanOrEqual(MAX_EMBED_TOTAL);
    expect(e.title).toHaveLength(256);
    expect(e.footer?.text).toHaveLength(2048);
    acceptedByBuilder(e);
  });

  it('one character over the total shortens the description by exactly that', () => {
    const over = card({
      title: 't'.repeat(256),
      sections: [{ body: 'd'.repeat(MAX_EMBED_TOTAL - 256 - 2048 + 1) }],
      footer: 'f'.repeat(2048),
    });
    const e = renderEmbed(over);
    expect(embedTotal(e)).toBe(MAX_EMBED_TOTAL);
    expect(e.description?.endsWith('…')).toBe(true);
  });

  it('custom_id: 100 characters pass, 101 refuse (a cut id would route the click elsewhere)', () => {
    const actionId = 'roadmap.answer';
    const value = (n: number) => 'x'.repeat(n - actionId.length - 1);
    expect(customId({ actionId, value: value(MAX_CUSTOM_ID) })).toHaveLength(100);
    expect(() => customId({ actionId, value: value(MAX_CUSTOM_ID + 1) })).toThrow(/101 characters/);
    expect(parseCustomId(customId({ actionId, value: 'd:42:1' }))).toEqual({ actionId, value: 'd:42:1' });
    expect(parseCustomId('something-else')).toBeUndefined();
  });

  it('puts 5 buttons per row and at most 5 rows', () => {
    const buttons = (n: number): Button[] =>
      Array.from({ length: n }, (_, i) => ({ actionId: 'a', value: String(i), label: `B${i}` }));
    const full = renderMessage({
      text: 't',
      card: card({ buttons: buttons(MAX_BUTTONS_PER_ROW * MAX_ACTION_ROWS) }),
    });
    expect(full.components).toHaveLength(5);
    expect(full.components.every((r) => r.components.length === 5)).toBe(true);
    const six = renderMessage({ text: 't', card: card({ buttons: buttons(6) }) });
    expect(six.components.map((r) => r.components.length)).toEqual([5, 1]);
    expect(() => renderMessage({ text: 't', card: card({ buttons: buttons(26) }) })).toThrow(/at most 25/);
  });

  it('always sets the content fallback, within 2000 characters', () => {
    expect(renderMessage({ text: 'a'.repeat(MAX_CONTENT) }).content).toHaveLength(2000);
    const cut = renderMessage({ text: 'a'.repeat(MAX_CONTENT + 1) }).content;
    expect(cut).toHaveLength(2000);
    expect(cut.endsWith('…')).toBe(true);
    const withCard = renderMessage({
      text: 'Day 3 · HTTP\n\nlong body',
      card: card({ title: 'Day 3 · HTTP' }),
    });
    expect(withCard.content).toBe('Day 3 · HTTP');
    expect(renderMessage({ text: '' }).content.length).toBeGreaterThan(0);
    expect(renderMessage({ text: 'x' }).allowed_mentions).toEqual({ parse: [] });
  });
});

describe('Discord rendering', () => {
  it('maps the markdown subset through, headings as bold lines, accents as colours, styles as button styles', () => {
    const m = renderMessage({
      text: 'fallback',
      card: {
        title: 'Caching',
        sections: [
          { body: 'Use **ETags** and _validators_ with `Cache-Control`.' },
          { heading: 'Key points', body: '- one\n- [two](https://example.com)' },
        ],
        accent: 'results',
        buttons: [
          { actionId: 'a', value: '1', label: 'A', style: 'primary' },
          { actionId: 'a', value: '2', label: 'B' },
        ],
      },
    });
    expect(m.embeds[0]?.description).toBe(
      'Use **ETags** and _validators_ with `Cache-Control`.\n\n**Key points**\n- one\n- [two](https://example.com)',
    );
    expect(m.embeds[0]?.color).toBe(0x009e73);
    expect(m.components[0]?.components.map((b) => b.style)).toEqual([
      ButtonStyle.Primary,
      ButtonStyle.Secondary,
    ]);
  });

  it('never leaves a code fence open or splits an emoji when cutting', () => {
    const fenced = truncate(`intro\n\`\`\`ts\n${'x'.repeat(100)}\n\`\`\``, 50);
    expect(fenced).toHaveLength(50);
    expect(fenced.match(/```/g)).toHaveLength(2);
    const emoji = truncate(`${'a'.repeat(8)}😀😀`, 10);
    expect(emoji).toBe(`${'a'.repeat(8)}…`);
  });

  it('carries an attachment as a file', () => {
    const m = renderMessage({
      text: 'export',
      attachment: { filename: 'r.csv', content: 'a,b\n', contentType: 'text/csv' },
    });
    expect(m.file?.name).toBe('r.csv');
    expect(m.file?.data.toString()).toBe('a,b\n');
  });
});
