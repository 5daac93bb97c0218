// An author's mistake is reported with the file and line to open, by the loader and by `npm run content:check`
// (which npm test and .ci/run run first); and the content version follows the wording, not the formatting.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentError, loadTrack } from '../../src/content/load.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONTENT = path.join(ROOT, 'content');
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

let dir: string;
const moduleFile = () => path.join(dir, 'backend/modules/internet.yaml');
/** The module file's name as the loader prints it (relative to the working directory). */
const shown = () => path.relative(process.cwd(), moduleFile());

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

describe('content problems name the file and the line', () => {
  it('points a schema problem at the line of the offending value', () => {
    copyFileSync(path.join(FIXTURES, 'broken-schema.yaml'), moduleFile());
    expect(problems()).toEqual([
      `${shown()}:24: internet.client-server.q1 stem: must end with a question mark`,
      `${shown()}:30: internet.client-server.q1 options.C: a wrong option needs a \`why\``,
    ]);
  });

  it('gives the line and column of a YAML syntax error', () => {
    copyFileSync(path.join(FIXTURES, 'broken-syntax.yaml.txt'), moduleFile());
    const found = problems();
    expect(found.length).toBeGreaterThan(0);
    for (const p of found)
      expect(p).toMatch(new RegExp(`^${shown().replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: `));
    // The parser stops where the bad indentation breaks the card's mapping (lines 6-7).
    expect(found[0]).toMatch(/:[67]:\d+: /);
  });

  it('points a problem found after the schema (a topic not in the syllabus) at its line', () => {
    const text = readFileSync(moduleFile(), 'utf8');
    writeFileSync(moduleFile(), text.replace('topics: [internet.client-server]', 'topics: [internet.nope]'));
    const line = text.split('\n').findIndex((l) => l.includes('topics: [internet.client-server]')) + 1;
    expect(problems()).toEqual([
      `${shown()}:${line}: internet.client-server: topic "internet.nope" is not in the syllabus`,
    ]);
  });

  it('makes `npm run content:check` exit 1 naming the file and line', async () => {
    copyFileSync(path.join(FIXTURES, 'broken-schema.yaml'), moduleFile());
    const run = promisify(execFile)(process.execPath, [path.join(ROOT, 'src/cli/content-check.ts'), dir], {
      cwd: ROOT,
    });
    const failure = await run.then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failure?.code).toBe(1);
    const file = path.relative(ROOT, moduleFile());
    expect(failure?.stdout).toContain(
      `${file}:24: internet.client-server.q1 stem: must end with a question mark`,
    );
  });
});

describe('the content version', () => {
  it('is stable across loads and formatting, and changes with the wording', () => {
    const before = loadTrack(dir, 'backend').version;
    expect(before).toMatch(/^[0-9a-f]{12}$/);
    expect(loadTrack(dir, 'backend').version).toBe(before);

    const text = readFileSync(moduleFile(), 'utf8');
    writeFileSync(moduleFile(), `# a comment changes nothing members see\n${text}\n\n`);
    expect(loadTrack(dir, 'backend').version).toBe(before);

    writeFileSync(
      moduleFile(),
      text.replace('Servers cannot discover clients', 'Servers never discover clients'),
    );
    expect(loadTrack(dir, 'backend').version).not.toBe(before);
  });
});
