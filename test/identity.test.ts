/** The bot's identity: the committed app icon is what `npm run icon` draws, and every place shows one palette. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderMessage } from '../src/adapters/discord/discord-render.ts';
import { appIconSvg } from '../src/cli/app-icon.ts';
import { BRAND } from '../src/core/brand.ts';
import type { Accent } from '../src/core/types.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('the app icon and colours', () => {
  it('the committed icon is the drawn one: a 512×512 PNG (Slack takes 512–2000, Discord 1024 or less)', () => {
    expect(readFileSync(path.join(root, 'assets/icon/roadmap-bot.svg'), 'utf8')).toBe(`${appIconSvg()}\n`);
    const png = PNG.sync.read(readFileSync(path.join(root, 'assets/icon/roadmap-bot.png')));
    expect([png.width, png.height]).toEqual([512, 512]);
    // Mostly the background slate, with the three study stops in the kinds' colours.
    const hex = (i: number) =>
      `#${[0, 1, 2].map((k) => png.data[i + k]!.toString(16).padStart(2, '0')).join('')}`;
    const seen = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) seen.add(hex(i));
    for (const colour of [BRAND.background, BRAND.drill, BRAND.board, BRAND.results])
      expect(seen).toContain(colour);
  });

  it('Slack’s app tile is the icon’s background; each message kind has its own Discord colour', () => {
    const manifest = parse(readFileSync(path.join(root, 'slack/manifest.yml'), 'utf8'));
    expect(manifest.display_information.background_color).toBe(BRAND.background);
    const kinds: Accent[] = ['drill', 'results', 'attention', 'board', 'progress'];
    const colours = kinds.map(
      (accent) => renderMessage({ text: 't', card: { title: 't', sections: [], accent } }).embeds[0]?.color,
    );
    expect(colours).toEqual(kinds.map((k) => Number.parseInt(BRAND[k].slice(1), 16)));
    expect(new Set(colours).size).toBe(kinds.length);
  });
});
