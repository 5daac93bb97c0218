import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkTrack } from '../../src/cli/content-rules.ts';
import { ContentError, loadTrack } from '../../src/content/load.ts';
import { realTrack } from '../helpers/harness.ts';

const CONTENT = path.resolve(import.meta.dirname, '../../content');

describe('the shipped curriculum', () => {
  it('passes every check: full coverage, counts, balanced answers, lengths that render', () => {
    const track = realTrack();
    const report = checkTrack(track, {
      coverage: 1,
      minCards: 200,
      minQuestions: 600,
      balanceTolerance: 0.1,
    });
    expect(report.problems).toEqual([]);
    expect(report.topics.covered).toBe(report.topics.total);
    // The syllabus is our own copy of the shared one: 24 modules, 173 topics.
    expect(track.syllabus).toHaveLength(173);
    expect(new Set(track.syllabus.map((t) => t.moduleId)).size).toBe(24);
  });

  it('makes a programme of at least 200 study days without repeating a card', () => {
    const track = realTrack();
    expect(new Set(track.cards.map((c) => c.id)).size).toBe(track.cards.length);
    expect(track.cards.length).toBeGreaterThanOrEqual(200);
    expect(track.cards.map((c) => c.index)).toEqual(track.cards.map((_, i) => i));
  });

  it('has exactly one correct option per question and a reason for every wrong one', () => {
    for (const q of realTrack().cards.flatMap((c) => c.questions)) {
      expect(q.options.filter((o) => o.correct)).toHaveLength(1);
      expect(q.options[q.correctIndex]!.correct).toBe(true);
      for (const o of q.options) if (!o.correct) expect(o.why.length).toBeGreaterThan(10);
    }
  });
});

describe('content validation reports each problem with its file and id', () => {
  let dir: string;
  const moduleFile = () => path.join(dir, 'backend/modules/internet.yaml');
  const edit = (fn: (doc: { cards: Record<string, unknown>[] }) => void) => {
    const doc = parse(readFileSync(moduleFile(), 'utf8'));
    fn(doc);
    writeFileSync(moduleFile(), stringify(doc));
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'roadmap-content-'));
    cpSync(CONTENT, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function problems(): string[] {
    try {
      loadTrack(dir, 'backend');
    } catch (err) {
      if (err instanceof ContentError) return err.problems;
      throw err;
    }
    return [];
  }

  it('accepts the copy unchanged', () => {
    expect(problems()).toEqual([]);
  });

  it('two correct options', () => {
    edit((doc) => {
      const q = (doc.cards[0]!.questions as { id: string; options: Record<string, unknown>[] }[])[0]!;
      for (const o of q.options) {
        o.correct = true;
        delete o.why;
      }
    });
    expect(problems()).toContainEqual(
      expect.stringMatching(
        /internet\.yaml:\d+: internet\.[a-z-]+\.q1 options: needs exactly one correct option, has 4$/,
      ),
    );
  });

  it('a wrong option without a reason and an over-long summary', () => {
    edit((doc) => {
      const card = doc.cards[0]!;
      const q = (card.questions as { options: Record<string, unknown>[] }[])[0]!;
      delete q.options.find((o) => !o.correct)!.why;
      card.summary = 'x'.repeat(601);
    });
    const found = problems().join('\n');
    expect(found).toMatch(
      /internet\.yaml:\d+: internet\.[a-z-]+\.q1 options\.[ABCD]: a wrong option needs a `why`/,
    );
    expect(found).toMatch(/internet\.yaml:\d+: internet\.[a-z-]+ summary: must be at most 600 characters/);
  });

  it('a card without a brief, and a brief over 350 characters', () => {
    edit((doc) => {
      delete doc.cards[0]!.brief;
      doc.cards[1]!.brief = 'x'.repeat(351);
    });
    const found = problems().join('\n');
    expect(found).toMatch(/internet\.yaml:\d+: internet\.client-server brief: /);
    expect(found).toMatch(
      /internet\.yaml:\d+: internet\.ip-addressing brief: must be at most 350 characters/,
    );
  });

  it('an unknown topic and a duplicate card id', () => {
    edit((doc) => {
      doc.cards[0]!.topics = ['internet.nope'];
      doc.cards[1]!.id = doc.cards[0]!.id;
    });
    const found = problems().join('\n');
    expect(found).toMatch(/topic "internet\.nope" is not in the syllabus/);
    expect(found).toMatch(/card id also used in/);
  });

  it('a module missing from the track, and a card that breaks the render budget', () => {
    writeFileSync(path.join(dir, 'backend/modules/extra.yaml'), 'module: extra\ntitle: Extra\ncards: []\n');
    expect(problems()).toContainEqual(expect.stringContaining('module "extra" is not listed in track.yaml'));
    rmSync(path.join(dir, 'backend/modules/extra.yaml'));
    const track = loadTrack(dir, 'backend');
    const card = track.cards[0]!;
    card.points = Array(5).fill('y'.repeat(900));
    const report = checkTrack(track, { coverage: 0, minCards: 0, minQuestions: 0, balanceTolerance: 1 });
    // Measured on the real renderers: Slack splits the 4,500-character key points, Discord cuts its embed.
    expect(report.problems).toContainEqual(`${card.id} (card): Slack: a section split was cut to fit`);
    expect(report.problems).toContainEqual(
      `${card.questions[0]!.id} (reveal): Discord: the embed was cut to fit`,
    );
    // The drill shows only the brief, so the long card leaves it alone.
    expect(report.problems.filter((p) => p.includes('(drill)'))).toEqual([]);
  });
});
