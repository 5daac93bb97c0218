/**
 * Opening a drill's deliveries: every slot that has come since the last run, handled under the drill's row
 * lock, so one instance handles each drill at a time. At most today's slot opens; older ones are skipped.
 */
import { localDateOf, nextSlotAfter } from '../core/calendar.ts';
import { addSkip } from '../plans/drills.repository.ts';
import { drillFromRow } from '../plans/model.ts';
import { insertDeliveryLocked } from './deliveries.repository.ts';
import { planDelivery } from './deliveries.ts';
import type { DispatchContext, RunReport } from './dispatch-context.ts';
import type { UnpostedDelivery } from './posting.repository.ts';
import { isSkipped, markNotPosted, setNextSlot, withDueDrillLocked } from './slots.repository.ts';

/**
 * Handles every passed slot of one drill under its row lock; the locked row is the drill every step uses.
 * Returns the delivery it opened, as inserted and with what posting needs of the drill, once committed: the
 * post step takes it from here without reading it again (a crash before the post leaves it for the next run).
 */
export async function openDueSlots(
  ctx: DispatchContext,
  now: Date,
  report: RunReport,
  drillId: number,
): Promise<UnpostedDelivery | undefined> {
  const { deps, metrics, log } = ctx;
  return await withDueDrillLocked(deps.db, drillId, async (trx, row) => {
    let opened: UnpostedDelivery | undefined;
    const drill = drillFromRow(row);
    const { schedule } = drill;
    const today = localDateOf(now, schedule.timezone);
    // A drill seen for the first time starts at its schedule change, or at the oldest slot still postable.
    const since = Math.max(row.schedule_changed_at.getTime(), now.getTime() - ctx.catchupMs) - 1;
    let slot = row.next_slot_at ?? nextSlotAfter(schedule, new Date(since)).at;
    for (let i = 0; slot.getTime() <= now.getTime() && i < 1000; i++) {
      const localDate = localDateOf(slot, schedule.timezone);
      report.due++;
      if (await isSkipped(trx, drill.id, localDate)) {
        report.skipped++;
      } else if (localDate === today && now.getTime() - slot.getTime() <= ctx.catchupMs) {
        const late = now.getTime() - slot.getTime() > ctx.lateAfterMs;
        const plan = await planDelivery(deps, drill, localDate, { late }, trx);
        // A cohort posts nothing before its start or after its end: not a study day, nothing to skip.
        const inserted = plan && (await insertDeliveryLocked(trx, row, plan));
        if (inserted) {
          report.opened++;
          opened = {
            ...inserted,
            timezone: row.timezone,
            created_by: row.created_by,
          };
        }
      } else {
        // Downtime outlasted the catch-up window: the day is skipped and counts against nobody's streak.
        await addSkip(trx, drill.id, localDate, 'missed', null);
        await markNotPosted(trx, drill.id, localDate);
        report.skipped++;
        metrics.delivery(drill.channel.platform, 'skipped');
        log.info({ drillId: drill.id, localDate }, 'drill day skipped: missed beyond the catch-up window');
      }
      slot = nextSlotAfter(schedule, slot).at;
    }
    await setNextSlot(trx, drill.id, slot);
    return opened;
  });
}
