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
import { escapeMarkup } from '../core/render/text.ts';
import { type Attachment, type OutboundMessage, withPictureDrawn } from '../core/types.ts';

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

/** The dataset a definition's inline rows are bound to in its compiled form. */
const DATA = 'table';
/** Chart shapes kept compiled (least recently drawn dropped first), and idle Views kept per shape. */
const MAX_SHAPES = 24;
const MAX_IDLE_VIEWS = 2;

type Vega = typeof import('vega');
type View = InstanceType<Vega['View']>;

/** A View with its own loader and log, both emptied before the View draws another picture. */
interface Drawer {
  view: View;
  refused: string[];
  errors: unknown[];
}

/** One chart shape compiled and parsed once, with the Views already built from it that are free to draw again. */
interface Shape {
  runtime: ReturnType<Vega['parse']>;
  idle: Drawer[];
}
const shapes = new Map<string, Shape>();

/**
 * A definition split into its shape and what changes from one picture to the next: the top-level inline rows
 * (bound to the named dataset DATA) and the values of its top-level parameters (set as signals).
 */
function splitSpec(spec: TopLevelSpec) {
  const { data, params, ...rest } = spec as TopLevelSpec & {
    data?: { values?: unknown };
    params?: { name: string; value?: unknown }[];
  };
  const rows = data && Array.isArray(data.values) ? (data.values as object[]) : undefined;
  const values = (params ?? []).filter((p) => 'value' in p).map((p) => [p.name, p.value] as const);
  const shape = {
    ...rest,
    ...(data ? { data: rows ? { name: DATA } : data } : {}),
    ...(params ? { params: params.map(({ value: _, ...p }) => p) } : {}),
  } as TopLevelSpec;
  return { shape, key: JSON.stringify(shape), rows, values };
}

/** The compiled shape for `key`, compiling and parsing it on first use. */
function shapeFor(
  vega: Vega,
  compile: typeof import('vega-lite')['compile'],
  key: string,
  shape: TopLevelSpec,
) {
  let found = shapes.get(key);
  if (found) shapes.delete(key);
  else found = { runtime: vega.parse(compile(shape, { logger: vega.logger(vega.None) }).spec), idle: [] };
  shapes.set(key, found); // most recently drawn last
  if (shapes.size > MAX_SHAPES) {
    const [oldest, dropped] = shapes.entries().next().value!;
    shapes.delete(oldest);
    for (const d of dropped.idle) d.view.finalize();
  }
  return found;
}

function newDrawer(vega: Vega, shape: Shape): Drawer {
  const errors: unknown[] = [];
  const { loader, refused } = offlineLoader();
  // Vega's warnings go to the console by default; a chart that renders is not worth a log line per message.
  const view = new vega.View(shape.runtime, {
    renderer: 'none',
    loader,
    logger: vega.logger(vega.Error, undefined, (_method, _level, args) => errors.push(...args)),
  });
  return { view, refused, errors };
}

/**
 * Empties a View's rows once its picture is out, then keeps it for the shape's next picture. A View drawn from
 * empty adds every mark, axis label and legend entry in the order a new View would, so a reused View's SVG is
 * byte for byte a new one's (with rows left in, labels that stay would keep their old place in the scene, and
 * overlapping strokes would draw in another order). Not awaited: the picture does not wait for its clean-up.
 */
function recycle(key: string, shape: Shape, drawer: Drawer): void {
  drawer.view.data(DATA, []);
  drawer.view.runAsync().then(
    () => {
      drawer.refused.length = 0;
      drawer.errors.length = 0;
      if (shape.idle.length < MAX_IDLE_VIEWS && shapes.get(key) === shape) shape.idle.push(drawer);
      else drawer.view.finalize();
    },
    () => drawer.view.finalize(),
  );
}

/**
 * Definition → SVG string. A Vega error or an attempt to load anything fails the render. Each shape is compiled
 * once and its Views drawn again with new rows and parameter values: building a View and its dataflow costs
 * several times what redrawing one does. A View draws one picture at a time; one that failed is dropped.
 */
async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await chartLibraries();
  const { shape, key, rows, values } = splitSpec(spec);
  const compiled = shapeFor(vega, compile, key, shape);
  const drawer = compiled.idle.pop() ?? newDrawer(vega, compiled);
  const { view, refused, errors } = drawer;
  try {
    if (rows) view.data(DATA, rows);
    for (const [name, value] of values) view.signal(name, value);
    const svg = await view.toSVG();
    if (refused.length)
      throw new Error(`charts load no external resources (asked for ${refused.join(', ')})`);
    if (errors.length) throw errors[0] instanceof Error ? errors[0] : new Error(String(errors[0]));
    if (rows) recycle(key, compiled, drawer);
    else view.finalize();
    return svg;
  } catch (err) {
    view.finalize();
    throw err;
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
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeMarkup(alt)}" `);
}

/** A rendered chart as a message's file: the PNG, with the text alternative as its description. */
function chartAttachment(image: ChartImage, filename: string): Attachment {
  return { filename, content: image.png, contentType: 'image/png', description: image.alt };
}

/**
 * `message` with the chart `make` draws as its picture, drawn when the reply is sent (`OutboundMessage.picture`).
 * The message is complete without it: a chart that fails to render is logged and the message goes out as text.
 */
export function withPicture(
  message: OutboundMessage,
  make: () => Promise<ChartImage>,
  filename: string,
  log: Log,
): OutboundMessage {
  const picture = async () => {
    try {
      return chartAttachment(await make(), filename);
    } catch (err) {
      log.warn({ err, filename }, 'chart not rendered; sending the text alone');
      return undefined;
    }
  };
  return { ...message, picture };
}

/** `message` with the chart `make` draws as its file, drawn now (for posts and direct messages). */
export const withChart = (
  message: OutboundMessage,
  make: () => Promise<ChartImage>,
  filename: string,
  log: Log,
): Promise<OutboundMessage> => withPictureDrawn(withPicture(message, make, filename, log));

/** A blank white picture of the given size through the same rasteriser: the baseline the bench compares with. */
export async function blankPng(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#ffffff"/></svg>`;
  return (await svgToPng(svg)).png;
}

function clampAlt(alt: string): string {
  const text = alt.replace(/\s+/g, ' ').trim();
  return text.length <= ALT_TEXT_MAX ? text : `${text.slice(0, ALT_TEXT_MAX - 1)}…`;
}
