import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_APP_ID,
  FAKE_GUILD_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  startFakeDiscord,
} from '../fake-discord/fake-discord.ts';

const run = promisify(execFile);
const CLI = path.resolve(import.meta.dirname, '../../src/cli/discord-commands.ts');

describe('npm run discord:commands', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await startFakeDiscord();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('registers to the development server and prints the invite URL with a reason per permission', async () => {
    const { stdout } = await run(process.execPath, [CLI], {
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_GUILD_ID: FAKE_GUILD_ID,
        DISCORD_API_URL: fake.apiUrl,
      },
    });
    expect(fake.commands.get(FAKE_GUILD_ID)).toHaveLength(2);
    expect(stdout).toContain(`in server ${FAKE_GUILD_ID}; guild commands update instantly`);
    expect(stdout).toMatch(/Registered \/roadmap \(today, .*\) and \/roadmap-manage \(schedule, /);
    expect(stdout).toContain('Server Settings → Integrations');
    expect(stdout).toContain(`client_id=${FAKE_APP_ID}`);
    expect(stdout).toContain('permissions=117760');
    for (const name of ['View Channel', 'Send Messages', 'Embed Links', 'Attach Files'])
      expect(stdout).toMatch(new RegExp(`- ${name}: \\S`));
  });

  it('without a token says what to set and exits non-zero', async () => {
    const err = await run(process.execPath, [CLI], { env: { PATH: process.env.PATH } }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('DISCORD_TOKEN is not set');
  });

  it('--print shows the JSON without calling Discord', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--print'], { env: { PATH: process.env.PATH } });
    expect(JSON.parse(stdout).map((c: { name: string }) => c.name)).toEqual(['roadmap', 'roadmap-manage']);
    expect(fake.requests).toEqual([]);
  });
});
