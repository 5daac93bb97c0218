/**
 * The live answer count on a posted drill: one update per delivery per window, whatever the clicks, read in
 * one statement (the delivery, its drill's track and the count), and never once the drill closed or revealed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import type { OutboundMessage } from '../../src/core/types.ts';
import { createLiveCounts, type LiveCounts } from '../../src/deliveries/live-counts.ts';
import { backends } from '../helpers/databases.ts';
import { button, createHarness, type Harness, member } from '../helpers/harness.ts';
import { createRecordingPublisher } from '../helpers/recording-publisher.ts';
import { createStatementLog, tablesRead } from '../helpers/statement-log.ts';

describe.each(backends)('live answer counts on $name', (backend) => {
  const log = createStatementLog();
  let h: Harness;
  let live: LiveCounts;
  let platform: ReturnType<typeof createRecordingPublisher>;
  let drill: OutboundMessage;
  let deliveryId: number;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z', { plugins: [log.plugin] });
    platform = createRecordingPublisher('slack');
    live = createLiveCounts({ ...h.study.deps, publishers: platform.publishers });
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    drill = await h.say(member('Ana'), 'today');
    // As the scheduler leaves it once posted.
    const posted = await h.db.handle.db
      .updateTable('deliveries')
      .set({ post_status: 'posted', message_id: 'm-1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    deliveryId = posted.id;
  });
  afterEach(async () => {
    await live.stop();
    await h.close();
  });

  const answer = async (name: string) => {
    await h.click(member(name), button(drill, 'A'));
    live.changed(deliveryId);
  };

  it('sends one update for the clicks of a window, with the count, from one statement', async () => {
    await answer('Ana');
    await answer('Ben');
    log.start();
    await live.flush();
    const sql = log.stop(h.db.handle.db);
    expect(platform.updates).toHaveLength(1);
    expect(platform.updates[0]!.ref.messageId).toBe('m-1');
    expect(platform.updates[0]!.message.card?.footer).toContain('2 answered');
    expect(platform.updates[0]!.message.card?.buttons?.map((b) => b.key)).toEqual(['A', 'B', 'C', 'D', 'R']);
    expect(sql.map((s) => tablesRead(s).sort())).toEqual([['answers', 'deliveries']]);
  });

  it('leaves the message alone once the drill is revealed, closed, or was never posted', async () => {
    const posted = { post_status: 'posted' as const, message_id: 'm-1', revealed_at: null, closes_at: null };
    const cases = [
      { ...posted, revealed_at: new Date('2026-11-20T10:00:00Z') },
      { ...posted, closes_at: new Date('2026-11-20T09:59:00Z') },
      { ...posted, post_status: 'not_posted' as const, message_id: null },
    ];
    for (const [i, state] of cases.entries()) {
      await h.db.handle.db.updateTable('deliveries').set(state).where('id', '=', deliveryId).execute();
      await answer(`M${i}`);
      await live.flush();
    }
    expect(platform.updates).toEqual([]);
  });
});
