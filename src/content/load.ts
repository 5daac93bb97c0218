/** Loads a track from content/<track>/ and validates it; every problem is reported, with its file and id. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
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

function describeIssues(file: string, error: z.ZodError, data: unknown): string[] {
  return error.issues.map((issue) => {
    // Name the nearest card or question by its id rather than by array index, so authors can find it.
    let where = '';
    let rest: string[] = [];
    let node: unknown = data;
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
    return `${file}: ${[where, field].filter(Boolean).join(' ') || '(top level)'}: ${issue.message}`;
  });
}

function readYaml(file: string, problems: string[]): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Reads and validates one track. Throws ContentError listing every problem found. */
export function loadTrack(contentDir: string, trackId = 'backend'): Track {
  const dir = path.join(contentDir, trackId);
  const problems: string[] = [];
  const rel = (f: string) => path.relative(process.cwd(), f) || f;

  const syllabusFile = path.join(dir, 'syllabus.yaml');
  const trackFile = path.join(dir, 'track.yaml');
  const syllabusRaw = readYaml(syllabusFile, problems);
  const trackRaw = readYaml(trackFile, problems);
  const syllabusParsed = syllabusSchema.safeParse(syllabusRaw);
  const trackParsed = trackSchema.safeParse(trackRaw);
  if (!syllabusParsed.success)
    problems.push(...describeIssues(rel(syllabusFile), syllabusParsed.error, syllabusRaw));
  if (!trackParsed.success) problems.push(...describeIssues(rel(trackFile), trackParsed.error, trackRaw));
  if (!syllabusParsed.success || !trackParsed.success) throw new ContentError(problems);

  const syllabus: SyllabusTopic[] = syllabusParsed.data.modules.flatMap((m) =>
    m.topics.map((t) => ({ id: `${m.id}.${t.id}`, moduleId: m.id, name: t.name })),
  );
  const topicIds = new Set(syllabus.map((t) => t.id));
  const syllabusModules = new Set(syllabusParsed.data.modules.map((m) => m.id));

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
    if (!trackParsed.data.modules.includes(id))
      problems.push(`${rel(byModule.get(id)!)}: module "${id}" is not listed in track.yaml`);
  }

  const modules: TrackModule[] = [];
  const cards: StudyCard[] = [];
  const cardIds = new Map<string, string>();
  const questionIds = new Map<string, string>();
  const seenModules = new Set<string>();

  for (const moduleId of trackParsed.data.modules) {
    if (seenModules.has(moduleId)) problems.push(`${rel(trackFile)}: module "${moduleId}" is listed twice`);
    seenModules.add(moduleId);
    if (!syllabusModules.has(moduleId))
      problems.push(`${rel(trackFile)}: module "${moduleId}" is not in the syllabus`);
    const file = byModule.get(moduleId);
    if (!file) {
      problems.push(`${rel(trackFile)}: module "${moduleId}" has no file modules/${moduleId}.yaml`);
      continue;
    }
    const raw = readYaml(file, problems);
    if (raw === undefined) continue;
    const parsed = moduleFileSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...describeIssues(rel(file), parsed.error, raw));
      continue;
    }
    if (parsed.data.module !== moduleId)
      problems.push(`${rel(file)}: declares module "${parsed.data.module}", expected "${moduleId}"`);
    const mod: TrackModule = { id: moduleId, title: parsed.data.title, cards: [] };
    for (const c of parsed.data.cards) {
      const where = `${rel(file)}: ${c.id}`;
      if (!new RegExp(`^${moduleId}\\.[a-z0-9]+(?:-[a-z0-9]+)*$`).test(c.id))
        problems.push(`${where}: card id must be "${moduleId}.<kebab-slug>"`);
      if (cardIds.has(c.id)) problems.push(`${where}: card id also used in ${cardIds.get(c.id)}`);
      cardIds.set(c.id, rel(file));
      for (const t of c.topics)
        if (!topicIds.has(t)) problems.push(`${where}: topic "${t}" is not in the syllabus`);
      const questions: Question[] = c.questions.map((q, i) => {
        if (q.id !== `${c.id}.q${i + 1}`)
          problems.push(`${rel(file)}: ${q.id}: question id must be "${c.id}.q${i + 1}"`);
        if (questionIds.has(q.id))
          problems.push(`${rel(file)}: ${q.id}: question id also used in ${questionIds.get(q.id)}`);
        questionIds.set(q.id, rel(file));
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
      const card: StudyCard = {
        id: c.id,
        moduleId,
        index: cards.length,
        title: c.title,
        topics: c.topics,
        difficulty: c.difficulty,
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
      mod.cards.push(card);
      cards.push(card);
    }
    modules.push(mod);
  }
  if (problems.length) throw new ContentError(problems);

  const cardMap = new Map(cards.map((c) => [c.id, c]));
  const questionMap = new Map(cards.flatMap((c) => c.questions.map((q) => [q.id, q] as const)));
  const moduleMap = new Map(modules.map((m) => [m.id, m]));
  return {
    id: trackParsed.data.id,
    title: trackParsed.data.title,
    modules,
    cards,
    syllabus,
    card: (id) => cardMap.get(id),
    question: (id) => questionMap.get(id),
    module: (id) => moduleMap.get(id),
  };
}

/** All tracks under contentDir (each a folder with a track.yaml). */
export function listTrackIds(contentDir: string): string[] {
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
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
