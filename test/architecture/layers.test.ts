/**
 * The import rule (.dependency-cruiser.cjs) holds for src/, and it does fail the build on a violation: the
 * same rules run over a throwaway tree where the core imports a feature and two features import each other.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const BIN = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

const run = (cwd: string, extra: string[] = []) =>
  promisify(execFile)(process.execPath, [BIN, 'src', '--config', CONFIG, ...extra], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
  );

/** The violations (from the JSON report), and the exit code of the command `npm run lint` runs. */
async function cruise(cwd: string): Promise<{ code: number; violations: Violation[] }> {
  const [json, lint] = await Promise.all([run(cwd, ['--output-type', 'json']), run(cwd)]);
  const report = JSON.parse(json.stdout) as { summary: { violations: Violation[] } };
  return { code: lint.code, violations: report.summary.violations };
}

describe('the import rule', () => {
  const fixture = mkdtempSync(path.join(tmpdir(), 'roadmap-layers-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('holds for src/: no folder imports a folder after it, and adapters see only the port', async () => {
    const { code, violations } = await cruise(ROOT);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(code).toBe(0);
  });

  it('fails on a violation: the core importing a feature, two features importing each other', async () => {
    const file = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(fixture, rel)), { recursive: true });
      writeFileSync(path.join(fixture, rel), text);
    };
    file('src/core/types.ts', "import { join } from '../members/join.ts';\nexport const x = join;\n");
    file('src/members/join.ts', "import { board } from '../answers/board.ts';\nexport const join = board;\n");
    file('src/answers/board.ts', "import { y } from '../members/other.ts';\nexport const board = y;\n");
    file('src/members/other.ts', 'export const y = 1;\n');
    file(
      'src/adapters/slack/app.ts',
      "import { board } from '../../answers/board.ts';\nexport const z = board;\n",
    );
    const { code, violations } = await cruise(fixture);
    expect(code).not.toBe(0);
    const rules = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(rules).toEqual([
      'adapters-use-the-port: src/adapters/slack/app.ts → src/answers/board.ts',
      'layer-core: src/core/types.ts → src/members/join.ts',
      'layer-members: src/members/join.ts → src/answers/board.ts',
    ]);
  });
});
