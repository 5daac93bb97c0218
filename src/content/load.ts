/**
 * Loads a track from content/<track>/ and validates it; every problem is reported as `file:line: id field:
 * message`, so an author (or an editor's problem matcher) goes straight to it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { moduleFileSchema, syllabusSchema, trackSchema } from './schema.ts';
import type { Question, StudyCard, SyllabusTopic, Track, TrackModule } from './track.ts';

export class ContentError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `content is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'ContentError';
    this.problems = problems;
  }
}

/** A parsed YAML file and where its nodes are, to put a line number on each problem. */
export interface YamlFile {
  /** The file as the problem messages name it. */
  name: string;
  data: unknown;
  /** `name:line` of the node at `at`, or of its nearest ancestor present in the file. */
  at(at: readonly PropertyKey[]): string;
}

function readYaml(file: string, name: string, problems: string[]): YamlFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  return parseYaml(text, name, problems);
}

/** YAML text parsed, with where its nodes are; undefined (and the syntax errors in `problems`) when it is not YAML. */
export function parseYaml(text: string, name: string, problems: string[]): YamlFile | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      // The message repeats the position and quotes the source after a colon; keep the sentence only.
      const message = e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').split('\n')[0];
      problems.push(`${name}${pos ? `:${pos.line}:${pos.col}` : ''}: ${message}`);
    }
    return undefined;
  }
  return {
    name,
    data: doc.toJS(),
    at(keys) {
      for (let n = keys.length; n >= 0; n--) {
        const node = doc.getIn(keys.slice(0, n), true);
        if (isNode(node) && node.range) return `${name}:${lineCounter.linePos(node.range[0]).line}`;
      }
      return name;
    },
  };
}

export function describeIssues(file: YamlFile, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    // Name the nearest card or question by its id rather than by array index, so authors can find it.
    let where = '';
    let rest: string[] = [];
    let node: unknown = file.data;
    for (const key of issue.path) {
      node = (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      const id = (node as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') {
        where = id;
        rest = [];
      } else {
        rest.push(
          typeof key === 'number' && rest.at(-1) === 'options' ? `${'ABCD'[key] ?? key}` : String(key),
        );
      }
    }
    const field = rest.filter((k) => k !== 'cards' && k !== 'questions').join('.');
    return `${file.at(issue.path)}: ${[where, field].filter(Boolean).join(' ') || '(top level)'}: ${issue.message}`;
  });
}

/** A stable hash of what members see (titles, cards, questions, options, sources): the content's version. */
function contentVersion(track: Pick<Track, 'id' | 'title' | 'modules'>): string {
  const { id, title, modules } = track;
  return createHash('sha256').update(JSON.stringify({ id, title, modules })).digest('hex').slice(0, 12);
}

/** What checking the modules shares: the syllabus, the ids seen so far and the problems found. */
export interface LoadContext {
  problems: string[];
  rel(f: string): string;
  /** The syllabus's topic ids; undefined when the track has no syllabus (an imported track). */
  topicIds: Set<string> | undefined;
  cardIds: Map<string, string>;
  questionIds: Map<string, string>;
}

type CardEntry = z.infer<typeof moduleFileSchema>['cards'][number];

/** syllabus.yaml and track.yaml, parsed; throws ContentError when either cannot be read. */
function readTrackFiles(dir: string, rel: (f: string) => string, problems: string[]) {
  const syllabusFile = path.join(dir, 'syllabus.yaml');
  const trackFile = path.join(dir, 'track.yaml');
  const syllabusYaml = readYaml(syllabusFile, rel(syllabusFile), problems);
  const trackYaml = readYaml(trackFile, rel(trackFile), problems);
  if (!syllabusYaml || !trackYaml) throw new ContentError(problems);
  const syllabusParsed = syllabusSchema.safeParse(syllabusYaml.data);
  const trackParsed = trackSchema.safeParse(trackYaml.data);
  if (!syllabusParsed.success) problems.push(...describeIssues(syllabusYaml, syllabusParsed.error));
  if (!trackParsed.success) problems.push(...describeIssues(trackYaml, trackParsed.error));
  if (!syllabusParsed.success || !trackParsed.success) throw new ContentError(problems);
  return { syllabus: syllabusParsed.data, track: trackParsed.data, trackYaml };
}

/** The module files by module id; a file for a module track.yaml does not list is a problem. */
function moduleFiles(dir: string, listed: readonly string[], ctx: LoadContext): Map<string, string> {
  const { problems, rel } = ctx;
  const modulesDir = path.join(dir, 'modules');
  let files: string[] = [];
  try {
    files = readdirSync(modulesDir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  } catch {
    problems.push(`${rel(modulesDir)}: missing`);
  }
  const byModule = new Map<string, string>();
  for (const f of files) byModule.set(f.replace(/\.ya?ml$/, ''), path.join(modulesDir, f));
  for (const id of byModule.keys()) {
    if (!listed.includes(id))
      problems.push(`${rel(byModule.get(id)!)}: module "${id}" is not listed in track.yaml`);
  }
  return byModule;
}

function questionsOf(
  ctx: LoadContext,
  yaml: YamlFile,
  moduleId: string,
  c: CardEntry,
  ci: number,
): Question[] {
  const { problems, questionIds } = ctx;
  return c.questions.map((q, i) => {
    const at = yaml.at(['cards', ci, 'questions', i, 'id']);
    if (q.id !== `${c.id}.q${i + 1}`)
      problems.push(`${at}: ${q.id}: question id must be "${c.id}.q${i + 1}"`);
    if (questionIds.has(q.id))
      problems.push(`${at}: ${q.id}: question id also used in ${questionIds.get(q.id)}`);
    questionIds.set(q.id, at);
    return {
      id: q.id,
      cardId: c.id,
      moduleId,
      kind: q.kind,
      stem: q.stem,
      options: q.options.map((o) => ({ text: o.text, correct: o.correct === true, why: o.why ?? '' })),
      correctIndex: q.options.findIndex((o) => o.correct === true),
      explanation: q.explanation,
    };
  });
}

function cardOf(
  ctx: LoadContext,
  yaml: YamlFile,
  moduleId: string,
  c: CardEntry,
  ci: number,
  index: number,
): StudyCard {
  const { problems, cardIds, topicIds } = ctx;
  const where = `${yaml.at(['cards', ci, 'id'])}: ${c.id}`;
  if (!new RegExp(`^${moduleId}\\.[a-z0-9]+(?:-[a-z0-9]+)*$`).test(c.id))
    problems.push(`${where}: card id must be "${moduleId}.<kebab-slug>"`);
  if (cardIds.has(c.id)) problems.push(`${where}: card id also used in ${cardIds.get(c.id)}`);
  cardIds.set(c.id, yaml.at(['cards', ci, 'id']));
  for (const [ti, t] of c.topics.entries())
    if (topicIds && !topicIds.has(t))
      problems.push(`${yaml.at(['cards', ci, 'topics', ti])}: ${c.id}: topic "${t}" is not in the syllabus`);
  const questions = questionsOf(ctx, yaml, moduleId, c, ci);
  return {
    id: c.id,
    moduleId,
    index,
    title: c.title,
    topics: c.topics,
    difficulty: c.difficulty,
    brief: c.brief,
    summary: c.summary,
    points: c.points,
    ...(c.example
      ? {
          example: {
            code: c.example.code.replace(/\s+$/, ''),
            ...(c.example.lang ? { lang: c.example.lang } : {}),
          },
        }
      : {}),
    sources: c.sources,
    questions,
  };
}

/** One module's file, read and checked; undefined when it cannot be read at all. */
function loadModule(ctx: LoadContext, file: string, moduleId: string, firstIndex: number) {
  const yaml = readYaml(file, ctx.rel(file), ctx.problems);
  return yaml ? moduleFrom(ctx, yaml, moduleId, firstIndex) : undefined;
}

/** A module's YAML (`module`, `title`, `cards`) checked and turned into the model; undefined when its shape is wrong. */
export function moduleFrom(ctx: LoadContext, yaml: YamlFile, moduleId: string, firstIndex: number) {
  const { problems } = ctx;
  const parsed = moduleFileSchema.safeParse(yaml.data);
  if (!parsed.success) {
    problems.push(...describeIssues(yaml, parsed.error));
    return undefined;
  }
  if (parsed.data.module !== moduleId)
    problems.push(`${yaml.at(['module'])}: declares module "${parsed.data.module}", expected "${moduleId}"`);
  const mod: TrackModule = { id: moduleId, title: parsed.data.title, cards: [] };
  for (const [ci, c] of parsed.data.cards.entries())
    mod.cards.push(cardOf(ctx, yaml, moduleId, c, ci, firstIndex + mod.cards.length));
  return mod;
}

export function trackFrom(
  id: string,
  title: string,
  modules: TrackModule[],
  syllabus: SyllabusTopic[],
): Track {
  const cards = modules.flatMap((m) => m.cards);
  const cardMap = new Map(cards.map((c) => [c.id, c]));
  const questionMap = new Map(cards.flatMap((c) => c.questions.map((q) => [q.id, q] as const)));
  const moduleMap = new Map(modules.map((m) => [m.id, m]));
  return {
    id,
    title,
    version: contentVersion({ id, title, modules }),
    modules,
    cards,
    syllabus,
    card: (id) => cardMap.get(id),
    question: (id) => questionMap.get(id),
    module: (id) => moduleMap.get(id),
  };
}

/** Reads and validates one track. Throws ContentError listing every problem found. */
export function loadTrack(contentDir: string, trackId = 'backend'): Track {
  const dir = path.join(contentDir, trackId);
  const problems: string[] = [];
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  const files = readTrackFiles(dir, rel, problems);
  const syllabus: SyllabusTopic[] = files.syllabus.modules.flatMap((m) =>
    m.topics.map((t) => ({ id: `${m.id}.${t.id}`, moduleId: m.id, name: t.name })),
  );
  const syllabusModules = new Set(files.syllabus.modules.map((m) => m.id));
  const ctx: LoadContext = {
    problems,
    rel,
    topicIds: new Set(syllabus.map((t) => t.id)),
    cardIds: new Map(),
    questionIds: new Map(),
  };
  const byModule = moduleFiles(dir, files.track.modules, ctx);

  const modules: TrackModule[] = [];
  let cardCount = 0;
  const seenModules = new Set<string>();
  for (const [mi, moduleId] of files.track.modules.entries()) {
    const listed = files.trackYaml.at(['modules', mi]);
    if (seenModules.has(moduleId)) problems.push(`${listed}: module "${moduleId}" is listed twice`);
    seenModules.add(moduleId);
    if (!syllabusModules.has(moduleId))
      problems.push(`${listed}: module "${moduleId}" is not in the syllabus`);
    const file = byModule.get(moduleId);
    if (!file) {
      problems.push(`${listed}: module "${moduleId}" has no file modules/${moduleId}.yaml`);
      continue;
    }
    const mod = loadModule(ctx, file, moduleId, cardCount);
    if (!mod) continue;
    cardCount += mod.cards.length;
    modules.push(mod);
  }
  if (problems.length) throw new ContentError(problems);
  return trackFrom(files.track.id, files.track.title, modules, syllabus);
}

/** All tracks under contentDir (each a folder with a track.yaml). */
export function listTrackIds(contentDir: string): string[] {
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() || d.isSymbolicLink())
    .map((d) => d.name)
    .filter((name) => {
      try {
        readFileSync(path.join(contentDir, name, 'track.yaml'));
        return true;
      } catch {
        return false;
      }
    });
}

/** Every track under contentDir by id; throws ContentError naming every problem of every track. */
export function loadTracks(contentDir: string): Map<string, Track> {
  const tracks = new Map<string, Track>();
  const problems: string[] = [];
  for (const id of listTrackIds(contentDir)) {
    try {
      const track = loadTrack(contentDir, id);
      tracks.set(track.id, track);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length) throw new ContentError(problems);
  return tracks;
}
