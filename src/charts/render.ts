/**
 * The chart pipeline: one Vega-Lite definition → SVG (Vega's headless string renderer, no canvas) → PNG
 * (resvg, with the shipped DejaVu Sans and no system fonts). The SVG serves the web dashboard, the PNG the chat
 * image; both come from the same scene, so they always show the same thing.
 *
 * Nothing here reaches the network: data is always inline and the Vega loader refuses every URI.
 * Text in the scene (labels, titles, names) is escaped by Vega's SVG serialiser; callers still pass names
 * through `cleanLabel` so one long or odd name cannot wreck the layout.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Loader } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { Log } from '../core/log.ts';
import type { Attachment, OutboundMessage } from '../core/types.ts';

/** A rendered chart: the dashboard's SVG, the chat's PNG, and the text alternative carrying the same figures. */
export interface ChartImage {
  svg: string;
  png: Buffer;
  /** Plain text (never markup), at most ALT_TEXT_MAX characters: Slack `alt_text`, Discord `description`. */
  alt: string;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
}

export interface RenderOptions {
  /** PNG pixels per SVG unit (1 = the SVG's own size). */
  scale?: number;
}

export const CHART_FONT_FAMILY = 'DejaVu Sans';
/** Discord caps an attachment's description at 1,024 characters (Slack's alt_text at 2,000). */
export const ALT_TEXT_MAX = 1000;

/**
 * DejaVu Sans (Bitstream Vera licence, free to redistribute; assets/fonts/LICENSE), subset to the scripts the
 * labels use by scripts/subset-chart-font.py. Found from src/charts and from dist/src/charts alike.
 * Characters outside it (CJK, for one) are left out of the picture; the alt text still carries them.
 */
const FONT_DIR =
  [
    path.join(import.meta.dirname, '..', '..', 'assets', 'fonts'),
    path.join(import.meta.dirname, '..', '..', '..', 'assets', 'fonts'),
  ].find((dir) => existsSync(path.join(dir, 'DejaVuSans.ttf'))) ??
  path.join(import.meta.dirname, '..', '..', 'assets', 'fonts');
const CHART_FONT_FILES = [path.join(FONT_DIR, 'DejaVuSans.ttf'), path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')];

/**
 * Charts carry their data inline; a definition that points anywhere else is a bug, not a download. Vega only
 * logs a failed load, so the loader remembers what it refused and the render fails on it.
 */
function offlineLoader(): { loader: Loader; refused: string[] } {
  const refused: string[] = [];
  const refuse = async (uri: string): Promise<never> => {
    refused.push(uri);
    throw new Error(`charts load no external resources (asked for ${uri})`);
  };
  return { loader: { load: refuse, sanitize: refuse, http: refuse, file: refuse }, refused };
}

/**
 * Vega, Vega-Lite and resvg, imported on the first picture: together they hold about 14 MB a process that
 * never draws one (most answer commands and clicks) would carry from start-up.
 */
let libraries:
  | Promise<[typeof import('vega'), typeof import('vega-lite'), typeof import('@resvg/resvg-js')]>
  | undefined;
function chartLibraries() {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  return libraries;
}

/** Definition → SVG string. A Vega error or an attempt to load anything fails the render. */
async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const [{ logger, None, parse, Error: VegaError, View }, { compile }] = await chartLibraries();
  const errors: unknown[] = [];
  const { loader, refused } = offlineLoader();
  // Vega's warnings go to the console by default; a chart that renders is not worth a log line per message.
  const view = new View(parse(compile(spec, { logger: logger(None) }).spec), {
    renderer: 'none',
    loader,
    logger: logger(VegaError, undefined, (_method, _level, args) => errors.push(...args)),
  });
  try {
    const svg = await view.toSVG();
    if (refused.length)
      throw new Error(`charts load no external resources (asked for ${refused.join(', ')})`);
    if (errors.length) throw errors[0] instanceof Error ? errors[0] : new Error(String(errors[0]));
    return svg;
  } finally {
    view.finalize();
  }
}

let fontChecked = false;

/**
 * SVG string → PNG, drawn with the shipped font only. resvg rasterises on libuv's thread pool, so the event
 * loop keeps serving while a picture is drawn; its native buffers are freed when the JS wrappers are collected.
 */
async function svgToPng(
  svg: string,
  options: RenderOptions = {},
): Promise<{ png: Buffer; width: number; height: number }> {
  // resvg draws no text at all without its font, so a missing font file is an error, not a blank label.
  if (!fontChecked) {
    for (const file of CHART_FONT_FILES)
      if (!existsSync(file)) throw new Error(`chart font missing: ${file}`);
    fontChecked = true;
  }
  const [, , { renderAsync }] = await chartLibraries();
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: CHART_FONT_FILES,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    fitTo: { mode: 'zoom', value: options.scale ?? 1 },
  });
  return { png: image.asPng(), width: image.width, height: image.height };
}

export async function renderChart(
  spec: TopLevelSpec,
  alt: string,
  options: RenderOptions = {},
): Promise<ChartImage> {
  const text = clampAlt(alt);
  const svg = labelSvg(await chartSvg(spec), text);
  const { png, width, height } = await svgToPng(svg, options);
  return { svg, png, alt: text, width, height };
}

/** The same words label the SVG for screen readers on the dashboard: one image with one description. */
function labelSvg(svg: string, alt: string): string {
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeAttribute(alt)}" `);
}

function escapeAttribute(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A rendered chart as a message's file: the PNG, with the text alternative as its description. */
function chartAttachment(image: ChartImage, filename: string): Attachment {
  return { filename, content: image.png, contentType: 'image/png', description: image.alt };
}

/**
 * `message` with the chart `make` draws as its picture. The message is complete without it: a chart that
 * fails to render is logged and the message goes out as text.
 */
export async function withChart(
  message: OutboundMessage,
  make: () => Promise<ChartImage>,
  filename: string,
  log: Log,
): Promise<OutboundMessage> {
  try {
    return { ...message, attachment: chartAttachment(await make(), filename) };
  } catch (err) {
    log.warn({ err, filename }, 'chart not rendered; sending the text alone');
    return message;
  }
}

/** A blank white picture of the given size through the same rasteriser: the baseline the bench compares with. */
export async function blankPng(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#ffffff"/></svg>`;
  return (await svgToPng(svg)).png;
}

function clampAlt(alt: string): string {
  const text = alt.replace(/\s+/g, ' ').trim();
  return text.length <= ALT_TEXT_MAX ? text : `${text.slice(0, ALT_TEXT_MAX - 1)}…`;
}
