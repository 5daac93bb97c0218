import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { codeCell, reportsMarkdown, tableCell } from '../../src/feedback/export.ts';
import { groupByQuestion } from '../../src/feedback/reports.ts';
import { postgresBackend } from '../helpers/databases.ts';
import { realTrack } from '../helpers/harness.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'src/cli/content-reports.ts');
const track = realTrack();
const [q1, q2] = [track.cards[0]!.questions[0]!, track.cards[1]!.questions[2]!];

/** Open reports in two workspaces on two platforms, one resolved, notes with markup and a pipe. */
async function seed(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('workspaces')
    .values([
      { platform: 'slack', workspace_id: 'T1' },
      { platform: 'discord', workspace_id: 'G1' },
    ])
    .execute();
  const at = new Date('2026-11-20T10:00:00Z');
  const report = (
    workspace: [string, string],
    user: string,
    questionId: string,
    reason: string,
    note?: string,
  ) => ({
    platform: workspace[0],
    workspace_id: workspace[1],
    channel_id: 'C1',
    user_id: user,
    question_id: questionId,
    card_id: track.question(questionId)!.cardId,
    content_version: track.version,
    source: 'command' as const,
    reason: reason as 'typo',
    note: note ?? null,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto('question_reports')
    .values([
      report(['slack', 'T1'], 'U1', q1.id, 'wrong-key', 'B | C are both right @octocat <b>'),
      report(['slack', 'T1'], 'U2', q1.id, 'wrong-key'),
      report(['discord', 'G1'], 'D1', q1.id, 'unclear', 'see `code` [x](https://evil.example)'),
      report(['discord', 'G1'], 'D2', q2.id, 'typo'),
    ])
    .execute();
  await db
    .insertInto('question_reports')
    .values({
      ...report(['slack', 'T1'], 'U3', q2.id, 'other', 'already fixed'),
      resolved_at: at,
      resolved_by: 'UBOSS',
      resolution: 'fixed',
    })
    .execute();
}

const expectTable = (stdout: string) => {
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe('Open question reports: 4 on 2 questions, the most reported first.');
  expect(lines[2]).toBe('| Question | Card | Reports | Reasons | Workspaces | Notes |');
  expect(lines[4]).toBe(
    `| \`${q1.id}\` | ${tableCell(track.cards[0]!.title)} (\`${track.cards[0]!.id}\`) | 3 | wrong key ×2, unclear ×1 | 2 | \`see 'code' [x](https://evil.example)\` · \`B \\| C are both right @octocat <b>\` |`,
  );
  expect(lines[5]).toMatch(
    new RegExp(`^\\| \`${q2.id.replace(/\./g, '\\.')}\` \\| .+ \\| 1 \\| typo ×1 \\| 1 \\|  \\|$`),
  );
  expect(lines).toHaveLength(6);
};

describe('npm run content:reports', () => {
  it('escapes what would end a cell or become markup', () => {
    expect(tableCell('a | b\\c <i>&\nd')).toBe('a \\| b\\\\c &lt;i&gt;&amp; d');
    expect(codeCell('x `y` | @z\n')).toBe("`x 'y' \\| @z`");
    expect(reportsMarkdown(groupByQuestion([]), [track])).toBe('No open question reports.');
  });

  it('prints the open reports of every workspace of the embedded database as a Markdown table', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'roadmap-reports-'));
    try {
      const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
      const handle = openDatabase({ kind: 'pglite', dataDir, loadDataDir: template });
      await seed(handle.db);
      await handle.close();
      const env = { PATH: process.env.PATH, DATA_DIR: dataDir };
      const { stdout } = await run(process.execPath, [CLI], { cwd: ROOT, env });
      expectTable(stdout);
      const bad = await run(process.execPath, [CLI, '--verbose'], { cwd: ROOT, env }).catch((e) => e);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('Usage: npm run content:reports');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two processes each open the embedded database from disk.
  }, 120_000);

  it.runIf(postgresBackend)('reads the database given with --database', async () => {
    const database = await postgresBackend!.open();
    try {
      await seed(database.handle.db);
      const { stdout } = await run(process.execPath, [CLI, '--database', database.url!], {
        cwd: ROOT,
        env: { PATH: process.env.PATH },
      });
      expectTable(stdout);
    } finally {
      await database.drop();
    }
  });

  it.runIf(postgresBackend)('says to migrate first when the database has no reports table', async () => {
    const database = await postgresBackend!.open({ migrate: false });
    try {
      const failed = await run(process.execPath, [CLI, `--database=${database.url!}`], {
        cwd: ROOT,
        env: { PATH: process.env.PATH },
      }).catch((e) => e);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('run `npm run migrate` against it first');
    } finally {
      await database.drop();
    }
  });
});
