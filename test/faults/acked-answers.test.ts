/**
 * Slack never resends an acknowledged click, so an ack is a promise that the answer is kept: whatever happens
 * to the process afterwards, every acked answer is in the database exactly once. (While the database itself
 * is down an answer cannot be kept; database.test.ts checks that the member is told so instead.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRAND } from '../../src/core/brand.ts';
import type { FakeSlack, SlackMessage } from './fake-slack.ts';
import {
  answersByUser,
  type Click,
  click,
  eventually,
  type FaultDatabase,
  type FaultRun,
  faultRun,
  report,
  type ServiceChild,
  seedDueDrills,
  sleep,
} from './harness.ts';

const url = process.env.TEST_DATABASE_URL;

async function postedDrill(
  run: FaultRun,
  db: FaultDatabase,
  slack: FakeSlack,
): Promise<{
  service: ServiceChild;
  drill: SlackMessage;
}> {
  await seedDueDrills(db, ['C1']);
  const service = await run.service({ database: db, slack });
  await slack.waitFor('the drill posted', () => slack.postsIn('C1').length > 0, 60_000);
  const drill = slack.postsIn('C1')[0]!;
  // As Slack received it: the answer buttons in the message's blocks, its kind's colour bar beside the footer.
  expect(drill.attachments).toEqual([expect.objectContaining({ color: BRAND.drill })]);
  await eventually(
    'the post recorded',
    async () => (await db.query(`select 1 from deliveries where message_id = $1`, [drill.ts])).length > 0,
    10_000,
  );
  return { service, drill };
}

/** Acked clicks whose answer is not recorded exactly once. */
async function notKept(db: FaultDatabase, drill: SlackMessage, clicks: Click[]) {
  const answers = await answersByUser(db, drill.ts);
  const acked = clicks.filter((c) => c.status === 200);
  return { acked, answers, missing: acked.filter((c) => answers.get(c.user) !== 1).map((c) => c.user) };
}

describe('every acknowledged answer is recorded exactly once', () => {
  let run: FaultRun;
  beforeAll(() => {
    run = faultRun();
  });
  afterAll(() => run.close());

  it.skipIf(!url)(
    'when the process is SIGKILLed 2 s after a burst of acked clicks',
    async () => {
      const db = await run.database();
      const slack = await run.slack();
      const { service, drill } = await postedDrill(run, db, slack);
      const users = Array.from({ length: 300 }, (_, i) => `UK${i}`);
      const clicks: Click[] = [];
      // Forty members clicking at once, as fast as the service acks.
      for (let i = 0; i < users.length; i += 40)
        clicks.push(
          ...(await Promise.all(users.slice(i, i + 40).map((u) => click(service, slack, drill, u)))),
        );
      await sleep(2000);
      await service.kill();
      const { acked, answers, missing } = await notKept(db, drill, clicks);
      report('sigkill after a click burst', {
        clicks: clicks.length,
        acked: acked.length,
        recorded: answers.size,
        'acked but lost': missing.length,
      });
      expect(acked.length).toBeGreaterThan(0);
      expect(missing).toEqual([]);
    },
    180_000,
  );
});
