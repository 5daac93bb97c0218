/**
 * Messages name a manager command through `managerCommand`, so each platform names it under the command it
 * registers it under (`/roadmap-manage` on Discord): a manager command written out as `/roadmap …` in the
 * source would read right on Slack and wrong on Discord. And a marked command must be a manager command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandEntries } from '../../src/bot/catalog.ts';
import { COMMAND_NAME } from '../../src/core/commands/define.ts';
import { createCommandRouter } from '../../src/core/commands/router.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');
/** Slack's own texts (reinstall hints) are only ever shown on Slack, where the one command holds everything. */
const SLACK_ONLY = `${path.sep}adapters${path.sep}slack${path.sep}`;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Code lines only: doc comments and line comments name commands for readers, not members. */
function codeLines(file: string): { line: number; text: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => !/^\s*(\/\/|\/\*|\*)/.test(text));
}

const router = createCommandRouter({ commandName: COMMAND_NAME, entries: commandEntries(), moduleIds: [] });
const access = (words: string) => {
  const [first = '', second = ''] = words.split(' ');
  return (router.find([first, second]) ?? router.find([first]))?.def.access;
};

describe('manager commands named in messages', () => {
  const files = sources(SRC);

  it('are never written out as /roadmap <manager command>', () => {
    const written = files
      .filter((f) => !f.includes(SLACK_ONLY))
      .flatMap((f) =>
        codeLines(f).flatMap(({ line, text }) =>
          [...text.matchAll(/\/roadmap ([a-z]+(?: [a-z]+)?)/g)]
            .filter((m) => access(m[1]!) === 'manager')
            .map((m) => `${path.relative(SRC, f)}:${line}: ${m[0]}`),
        ),
      );
    expect(written).toEqual([]);
  });

  it('are manager commands wherever they are marked', () => {
    const marked = files.flatMap((f) =>
      codeLines(f).flatMap(({ line, text }) =>
        [...text.matchAll(/managerCommand\(\s*['`]([a-z]+(?: [a-z]+)?)/g)].map((m) => ({
          at: `${path.relative(SRC, f)}:${line}`,
          words: m[1]!,
        })),
      ),
    );
    expect(marked.length).toBeGreaterThan(10);
    expect(marked.filter((m) => access(m.words) !== 'manager')).toEqual([]);
  });
});
