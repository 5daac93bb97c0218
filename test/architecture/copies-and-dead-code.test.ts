/**
 * `npm run check:dup` (jscpd, .jscpd.json) and `npm run check:dead` (knip, knip.jsonc) do fail the build: the
 * project's own configurations run over throwaway trees, one with a helper written twice and one with an
 * export nobody imports. That src/ itself passes is what `npm test` checks before the suite.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

const run = (cwd: string, bin: string, args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(ROOT, bin), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
  );

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roadmap-checks-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A function of a dozen lines, the size of a helper that drifts when it is copied. */
const helper = (name: string) => `export function ${name}(mask: number): string {
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  if (mask === 0b1111111) return 'daily';
  const runs: string[] = [];
  for (let i = 0; i < 7; i++) {
    if (!(mask & (1 << i))) continue;
    let j = i;
    while (j + 1 < 7 && mask & (1 << (j + 1))) j++;
    runs.push(j - i >= 2 ? \`\${names[i]}–\${names[j]}\` : names.slice(i, j + 1).join(', '));
    i = j;
  }
  return runs.join(', ');
}
`;

describe('the copy and dead-code checks', () => {
  const dirs: string[] = [];
  const fixture = (files: Record<string, string>) => {
    const dir = tree(files);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('check:dup fails on a helper written twice in src/, and passes once it has one home', async () => {
    // The project's configuration beside the tree: its `path` is read relative to the file.
    const config = { '.jscpd.json': readFileSync(path.join(ROOT, '.jscpd.json'), 'utf8') };
    const copied = fixture({
      ...config,
      'src/cohorts/messages.ts': helper('formatDays'),
      'src/core/options.ts': `export const ALL = 1;\n${helper('daysText')}`,
    });
    const found = await run(copied, 'node_modules/jscpd/run-jscpd.js', ['--no-colors']);
    expect(found.code).toBe(1);
    expect(found.out).toMatch(/Clone found/);
    expect(found.out).toContain('cohorts/messages.ts');

    const once = fixture({
      ...config,
      'src/core/options.ts': helper('formatDays'),
      'src/cohorts/messages.ts':
        "import { formatDays } from '../core/options.ts';\nexport const d = formatDays;\n",
    });
    expect((await run(once, 'node_modules/jscpd/run-jscpd.js', ['--no-colors'])).code).toBe(0);
  });

  it('check:dead fails on an export nobody imports and on a file nothing reaches', async () => {
    const dir = fixture({
      'package.json': JSON.stringify({ name: 'fixture', private: true, type: 'module' }),
      'src/cli/run.ts': "import { used } from '../core/text.ts';\nconsole.log(used);\n",
      'src/core/text.ts': 'export const used = 1;\nexport const forgotten = 2;\n',
      'src/core/orphan.ts': 'export const nobody = 3;\n',
    });
    const { code, out } = await run(dir, 'node_modules/knip/bin/knip.js', [
      '--config',
      path.join(ROOT, 'knip.jsonc'),
      '--directory',
      dir,
      '--no-progress',
      '--reporter',
      'compact',
    ]);
    expect(code).toBe(1);
    expect(out).toContain('src/core/orphan.ts');
    expect(out).toMatch(/src\/core\/text\.ts: forgotten/);
    expect(out).not.toMatch(/\bused\b/);
  });
});
