/**
 * A track in one file, as a workspace imports it (content/README.md, "A track in one file"): `track`, `title`,
 * an optional `description`, and `modules`, each exactly a module file of the built-in content (`module`,
 * `title`, `cards`). The same schemas check it, and every problem comes back as `file:line: what is wrong`.
 */
import { z } from 'zod';
import { literal } from '../core/render/text.ts';
import {
  ContentError,
  describeIssues,
  type LoadContext,
  moduleFrom,
  parseYaml,
  trackFrom,
  type YamlFile,
} from './load.ts';
import { trackSchema } from './schema.ts';
import type { SyllabusTopic, Track, TrackModule } from './track.ts';

const headerSchema = z
  .object({
    track: trackSchema.shape.id,
    title: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    description: z.string().max(300, 'must be at most 300 characters').optional(),
    modules: z.array(z.unknown()).min(1, 'needs at least one module'),
  })
  .strict();

/** The part of a parsed file under `prefix`, with line numbers still counted in the whole file. */
function partOf(file: YamlFile, prefix: readonly PropertyKey[]): YamlFile {
  let data: unknown = file.data;
  for (const key of prefix) data = (data as Record<PropertyKey, unknown> | undefined)?.[key];
  return { name: file.name, data, at: (keys) => file.at([...prefix, ...keys]) };
}

function moduleIdOf(data: unknown, index: number): string {
  const id = (data as { module?: unknown } | undefined)?.module;
  return typeof id === 'string' ? id : `module-${index + 1}`;
}

/**
 * Card ids other tracks already use, with the track each belongs to (the built-in tracks' and the workspace's
 * own), so memory and reports never mix two cards. The track being imported may keep its own ids.
 */
type TakenCardIds = ReadonlyMap<string, string>;

function checkModules(
  ctx: LoadContext,
  file: YamlFile,
  count: number,
  taken: TakenCardIds,
  ownId: string | undefined,
): TrackModule[] {
  const modules: TrackModule[] = [];
  const seen = new Set<string>();
  let cards = 0;
  for (let mi = 0; mi < count; mi++) {
    const part = partOf(file, ['modules', mi]);
    const moduleId = moduleIdOf(part.data, mi);
    if (seen.has(moduleId)) ctx.problems.push(`${part.at(['module'])}: module "${moduleId}" is listed twice`);
    seen.add(moduleId);
    const mod = moduleFrom(ctx, part, moduleId, cards);
    if (!mod) continue;
    for (const [ci, card] of mod.cards.entries()) {
      const owner = taken.get(card.id);
      if (owner && owner !== ownId)
        ctx.problems.push(
          `${part.at(['cards', ci, 'id'])}: ${card.id}: card id is used by the track "${owner}"`,
        );
    }
    cards += mod.cards.length;
    modules.push(mod);
  }
  return modules;
}

/**
 * Reads an imported track from its text. Throws ContentError listing every problem; `name` is the file name
 * the problems start with.
 */
export function parseTrackFile(text: string, name: string, taken: TakenCardIds = new Map()): Track {
  const problems: string[] = [];
  const file = parseYaml(text, name, problems);
  if (!file) throw new ContentError(problems);
  const header = headerSchema.safeParse(file.data);
  if (!header.success) {
    problems.push(...describeIssues(file, header.error));
    const modules = (file.data as { modules?: unknown } | undefined)?.modules;
    if (!Array.isArray(modules)) throw new ContentError(problems);
  }
  const count = ((file.data as { modules: unknown[] }).modules ?? []).length;
  const ctx: LoadContext = {
    problems,
    rel: (f) => f,
    topicIds: undefined,
    cardIds: new Map(),
    questionIds: new Map(),
  };
  const modules = checkModules(ctx, file, count, taken, header.data?.track);
  if (problems.length || !header.success) throw new ContentError(problems);
  const syllabus: SyllabusTopic[] = [
    ...new Map(
      modules.flatMap((m) =>
        m.cards.flatMap((c) => c.topics.map((t) => [t, { id: t, moduleId: m.id, name: t }] as const)),
      ),
    ).values(),
  ];
  return trackFrom(
    literal(header.data.track),
    literal(header.data.title),
    modules.map(inertModule),
    syllabus,
  );
}

/**
 * Imported text is user text: each prose field made inert like a member's input (`literal`: no reference
 * marks, no markdown links), so a track file can never mention anyone or hide a link; code stays code.
 */
function inertModule(m: TrackModule): TrackModule {
  const cards = m.cards.map((c) => ({
    ...c,
    title: literal(c.title),
    ...(c.brief ? { brief: literal(c.brief) } : {}),
    summary: literal(c.summary),
    points: c.points.map(literal),
    ...(c.example ? { example: { ...c.example, code: c.example.code.replace(/[\uE000\uE001]/g, '') } } : {}),
    sources: c.sources.map((s) => ({ ...s, title: literal(s.title) })),
    questions: c.questions.map((q) => ({
      ...q,
      stem: literal(q.stem),
      explanation: literal(q.explanation),
      options: q.options.map((o) => ({ ...o, text: literal(o.text), why: literal(o.why) })),
    })),
  }));
  return { ...m, title: literal(m.title), cards };
}
