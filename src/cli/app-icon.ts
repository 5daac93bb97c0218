/**
 * `npm run icon`: draws the app icon (assets/icon/roadmap-bot.svg) and rasterises it with the chart pipeline's
 * renderer to the 512×512 PNG Slack and Discord take (assets/icon/roadmap-bot.png). A road of three study
 * stops on the brand's dark slate, the last one ticked: a path walked one card a day.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { BRAND } from '../core/brand.ts';

const SIZE = 512;

export function appIconSvg(): string {
  const stops = [
    { x: 150, y: 360, fill: BRAND.drill },
    { x: 256, y: 220, fill: BRAND.board },
    { x: 362, y: 150, fill: BRAND.results },
  ];
  const dots = stops
    .map(
      (s) => `<circle cx="${s.x}" cy="${s.y}" r="44" fill="${s.fill}" stroke="#ffffff" stroke-width="12"/>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="roadmap-bot">`,
    '<title>roadmap-bot</title>',
    `<rect width="${SIZE}" height="${SIZE}" rx="112" fill="${BRAND.background}"/>`,
    '<path d="M96 430 C 150 360, 200 300, 256 220 S 330 170, 420 100" fill="none" stroke="#ffffff" stroke-opacity="0.35" stroke-width="28" stroke-linecap="round" stroke-dasharray="2 46"/>',
    dots,
    '<path d="M340 150 L356 168 L388 132" fill="none" stroke="#ffffff" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/>',
    '</svg>',
  ].join('');
}

if (import.meta.main) {
  const dir = path.resolve(import.meta.dirname, '..', '..', 'assets', 'icon');
  const svg = appIconSvg();
  writeFileSync(path.join(dir, 'roadmap-bot.svg'), `${svg}\n`);
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: SIZE } }).render().asPng();
  writeFileSync(path.join(dir, 'roadmap-bot.png'), png);
  console.log(`wrote ${path.join(dir, 'roadmap-bot.svg')} and roadmap-bot.png (${png.length} bytes)`);
}
