/** The welcome is claimed once per channel, whatever the number of processes asking at once. */
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { silentLog } from '../../src/core/log.ts';
import type { ChannelRef } from '../../src/core/types.ts';
import { backends } from '../helpers/databases.ts';
import { createHarness } from '../helpers/harness.ts';

describe.each(backends)('channel welcome on $name', (backend) => {
  it('goes to exactly one of several bots asking at once, and only once per channel', async () => {
    const h = await createHarness(backend);
    try {
      const bots = [0, 1, 2, 3].map(() => createBot({ study: h.study.deps, log: silentLog, clock: h.clock }));
      const channel: ChannelRef = { platform: 'discord', workspaceId: 'G1', channelId: 'C7' };
      const results = await Promise.all(bots.flatMap((b) => [b.welcome(channel), b.welcome(channel)]));
      const posted = results.filter((r) => r !== undefined);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.visibility).toBe('public');
      expect(posted[0]!.card!.buttons!.map((b) => b.label)).toEqual([
        'Set up a daily drill',
        'Start a cohort',
        "Try today's question",
      ]);
      expect(await bots[0]!.welcome(channel)).toBeUndefined();
      // Another channel, or the same channel id in another workspace, is welcomed on its own.
      expect(await bots[1]!.welcome({ ...channel, channelId: 'C8' })).toBeDefined();
      expect(await bots[1]!.welcome({ ...channel, workspaceId: 'G2' })).toBeDefined();
    } finally {
      await h.close();
    }
  });

  it('a first command in a channel that already studies is no reason to welcome it', async () => {
    const h = await createHarness(backend);
    try {
      await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
      const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
      expect(await h.bot.welcome(channel, { onlyWithoutDrill: true })).toBeUndefined();
      expect(await h.bot.welcome({ ...channel, channelId: 'C2' }, { onlyWithoutDrill: true })).toBeDefined();
    } finally {
      await h.close();
    }
  });
});
