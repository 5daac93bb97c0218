/**
 * The dashboard from the terminal chat (`npm start`): `/dashboard` starts it on 127.0.0.1 and prints a
 * one-time login link; the link signs the terminal's owner in once; a member who is not the owner is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createManualClock } from '../../src/core/clock.ts';
import { openTerminal, type Terminal } from '../../src/runtime/terminal.ts';
import { migratedDataDir } from '../helpers/databases.ts';
import { Browserless } from './client.ts';

describe('the dashboard from the terminal chat', { timeout: 120_000 }, () => {
  let dir: string;
  let terminal: Terminal;
  let done: Promise<void>;
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
  });
  // PORT is taken: the dashboard moves to a free port rather than failing.
  const squatter = createServer();

  async function linkAfter(line: string): Promise<string> {
    const before = text.length;
    input.write(`${line}\n`);
    for (let i = 0; i < 200; i++) {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/dashboard\/auth\/link\?token=[\w-]+)/.exec(text.slice(before));
      if (m) return m[1]!;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no link after ${line}: ${text.slice(before)}`);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'roadmap-terminal-dashboard-'));
    await migratedDataDir(dir);
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const config = loadConfig({
      DATA_DIR: dir,
      CONTENT_DIR: path.resolve(import.meta.dirname, '../../content'),
      DEFAULT_TIMEZONE: 'UTC',
      PORT: String((squatter.address() as AddressInfo).port),
    });
    terminal = await openTerminal({
      config,
      input,
      output,
      interactive: false,
      color: false,
      user: 'Sam',
      filesDir: path.join(dir, 'exports'),
      clock: createManualClock('2026-11-20T10:00:00Z'),
    });
    done = terminal.run();
  });
  afterAll(async () => {
    input.end();
    await done;
    await terminal.close();
    squatter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a one-time link that signs the owner in to the terminal's workspace", async () => {
    const link = await linkAfter('/dashboard');
    const url = new URL(link);
    expect(url.hostname).toBe('127.0.0.1');
    const b = new Browserless(url.origin);
    const list = await b.go(link);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('href="/dashboard/w/local"');
    const overview = await (await b.go('/dashboard/w/local')).text();
    expect(overview).toContain('#terminal');
    expect((await new Browserless(url.origin).go(link)).status).toBe(403);
  });

  it('refuses a member of the chat who is not its owner', async () => {
    input.write('/as Ana\n');
    const link = await linkAfter('/dashboard');
    const b = new Browserless(new URL(link).origin);
    expect(await (await b.go(link)).text()).toContain('You are not a manager of any workspace');
    expect((await b.go('/dashboard/w/local')).status).toBe(403);
  });
});
