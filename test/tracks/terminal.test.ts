import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createManualClock } from '../../src/core/clock.ts';
import { openTerminal } from '../../src/runtime/terminal.ts';
import { migratedDataDir } from '../helpers/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/content/fixtures');

/** A scripted terminal session as `npm start` runs it, on CONTENT_DIR `contentDir`. */
async function session(dataDir: string, contentDir: string, script: string[]): Promise<string> {
  const config = loadConfig({ DATA_DIR: dataDir, CONTENT_DIR: contentDir, DEFAULT_TIMEZONE: 'UTC' });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  const terminal = await openTerminal({
    config,
    input,
    output,
    interactive: false,
    color: false,
    user: 'Sam',
    filesDir: path.join(dataDir, 'exports'),
    clock: createManualClock('2026-11-23T08:00:00Z'),
  });
  const done = terminal.run();
  input.end(`${script.join('\n')}\n`);
  await done;
  await terminal.close();
  return text;
}

describe('tracks in the terminal', { timeout: 180_000 }, () => {
  let dir: string;
  let content: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'roadmap-tracks-'));
    await migratedDataDir(dir);
    // Two built-in tracks: the real backend track and a small second one.
    content = mkdtempSync(path.join(tmpdir(), 'roadmap-content-'));
    symlinkSync(path.join(ROOT, 'content/backend'), path.join(content, 'backend'));
    cpSync(path.join(FIXTURES, 'tracks/ops'), path.join(content, 'ops'), { recursive: true });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(content, { recursive: true, force: true });
  });

  it('loads every built-in track, `topics` lists them, and a track file imported by path drives the drill', async () => {
    const out = await session(dir, content, [
      '/roadmap topics',
      `/roadmap track import ${path.join(FIXTURES, 'team-track-3-errors.yaml')}`,
      `/roadmap track import ${path.join(FIXTURES, 'team-track.yaml')}`,
      '/roadmap track import ./no-such-file.yaml',
      '/roadmap topics',
      '/roadmap schedule set 09:00 daily UTC track:ops',
      '/roadmap schedule set 09:00 daily UTC track:team-deploys',
      '/clock 09:00',
      '/roadmap today',
    ]);
    expect(out).toMatch(/Tracks: backend Backend[^\n]* ← this channel · ops Operations basics\n/);
    expect(out).toContain('team-track-3-errors.yaml: 3 problems, nothing imported.');
    expect(out).toContain(
      'team-track-3-errors.yaml:24: pipeline.release-train.q1 stem: must end with a question mark',
    );
    expect(out).toMatch(/Imported How we ship at Acme \(team-deploys, version 1/);
    expect(out).toContain('Cannot read ./no-such-file.yaml (ENOENT).');
    expect(out).toMatch(/· team-deploys How we ship at Acme \(this workspace's\)/);
    expect(out).toMatch(/scheduled this channel's drill: 09:00 daily \(UTC\), track ops\./);
    expect(out).toMatch(
      /scheduled this channel's drill: 09:00 daily \(UTC\), track team-deploys@[0-9a-f]{12}/,
    );
    expect(out).toContain('roadmap-bot posted:\nDay 1 · Releases leave on the train');
  });
});
