/**
 * Channel names from commands: stored with the first command that shows one, changed by a rename, and not
 * written again by every command after it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNamesOf } from '../../src/plans/channel-names.ts';
import { backends } from '../helpers/databases.ts';
import { CHANNEL, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createStatementLog } from '../helpers/statement-log.ts';

const ana = member('Ana');

describe.each(backends)('channel names on $name', (backend) => {
  let h: Harness;
  const log = createStatementLog();
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z', { plugins: [log.plugin] });
  });
  afterEach(async () => {
    await h.close();
  });
  const names = () => channelNamesOf(h.db.handle.db, CHANNEL, [CHANNEL.channelId, 'C-other']);
  const written = () => log.stop(h.db.handle.db).filter((q) => q.includes('"channel_names"'));

  it('stores the name a command shows, writes it once, and follows a rename', async () => {
    log.start();
    await h.say(ana, 'help', CHANNEL, { channelName: 'backend-study' });
    expect(written()).toHaveLength(1);
    expect(await names()).toEqual(new Map([[CHANNEL.channelId, 'backend-study']]));

    // The same name again: this process stored it, so nothing is written.
    log.start();
    await h.say(ana, 'help', CHANNEL, { channelName: 'backend-study' });
    await h.say(ana, 'help', CHANNEL);
    expect(written()).toEqual([]);

    h.clock.advance(60_000);
    await h.say(ana, 'help', CHANNEL, { channelName: 'backend-guild' });
    expect(await names()).toEqual(new Map([[CHANNEL.channelId, 'backend-guild']]));
    const [row] = await h.db.handle.db.selectFrom('channel_names').select('updated_at').execute();
    expect(row!.updated_at).toEqual(new Date('2026-11-20T10:01:00Z'));
  });

  it('keeps a name without its surrounding space and at most 100 characters; a blank one is none', async () => {
    await h.say(ana, 'help', CHANNEL, { channelName: '   ' });
    expect(await names()).toEqual(new Map());
    await h.say(ana, 'help', CHANNEL, { channelName: ` ${'x'.repeat(150)} ` });
    expect(await names()).toEqual(new Map([[CHANNEL.channelId, 'x'.repeat(100)]]));
  });
});
