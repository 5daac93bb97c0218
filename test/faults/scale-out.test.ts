/**
 * Scale-out: three service processes (src/service.ts) behind a round-robin proxy, Slack over its HTTP
 * receiver and Discord over its Interactions Endpoint, one PostgreSQL database, both platforms' APIs on
 * loopback fakes. Commands and clicks land on every process in equal shares; every command is answered once;
 * every Discord click is delivered twice at once (a retry, to another process), stored once and answered with
 * its result once; and the three schedulers post every drill once to each platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationKeys,
  FAKE_CHANNEL_ID,
  FAKE_GUILD_ID,
  FAKE_TOKEN,
  type FakeDiscord,
  type FakeMember,
  type FakeMessage,
  startFakeDiscord,
} from '../fake-discord/fake-discord.ts';
import { type RoundRobinProxy, startRoundRobinProxy } from '../helpers/round-robin-proxy.ts';
import type { FakeSlack } from './fake-slack.ts';
import {
  click,
  command,
  eventually,
  type FaultDatabase,
  type FaultRun,
  faultRun,
  report,
  type ServiceChild,
  schedulerRunAfter,
  seedDueDrills,
} from './harness.ts';

const url = process.env.TEST_DATABASE_URL;
const SLACK_CHANNELS = ['C1', 'C2', 'C3'];
const DISCORD_CHANNELS = [FAKE_CHANNEL_ID, '333333333333333334', '333333333333333335'];
const SLACK_USERS = ['UA', 'UB', 'UC', 'UD'];
const MEMBERS: FakeMember[] = ['Ana', 'Ben', 'Cai', 'Dee'].map((name, i) => ({
  id: `10000000000000001${i}`,
  name,
}));
const COMMANDS = 6;

const answerButton = (m: FakeMessage) =>
  (m.components as { components: { custom_id: string }[] }[])
    .flatMap((r) => r.components)
    .find((b) => b.custom_id.startsWith('roadmap.answer'))!.custom_id;

describe.skipIf(!url)('three service processes behind a round-robin proxy, one database', () => {
  let run: FaultRun;
  let db: FaultDatabase;
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let services: ServiceChild[];
  let proxy: RoundRobinProxy;

  beforeAll(async () => {
    run = faultRun();
    db = await run.database();
    slack = await run.slack();
    discord = await startFakeDiscord();
    const keys = applicationKeys();
    // Due before any process starts: the three schedulers race for the same posts.
    await seedDueDrills(db, SLACK_CHANNELS);
    await seedDueDrills(db, DISCORD_CHANNELS, { platform: 'discord', workspaceId: FAKE_GUILD_ID });
    const env = {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_API_URL: discord.apiUrl,
      SCHEDULER_INTERVAL_SECONDS: '2',
    };
    services = await Promise.all([1, 2, 3].map(() => run.service({ database: db, slack, env })));
    proxy = await startRoundRobinProxy(services.map((s) => s.base));
    discord.useEndpoint(`${proxy.base}/discord/interactions`, keys.privateKey);
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    await run.close();
    await discord?.close();
  });

  it('answers every command once, stores every answer once and posts every drill once per platform', async () => {
    await slack.waitFor(
      'every Slack drill posted',
      () => SLACK_CHANNELS.every((c) => slack.postsIn(c).length > 0),
      60_000,
    );
    await eventually(
      'every Discord drill posted',
      () => DISCORD_CHANNELS.every((c) => discord.channelMessages(c).length > 0),
      60_000,
    );
    await eventually(
      'every post recorded',
      async () => (await db.query(`select 1 from deliveries where post_status = 'posted'`)).length === 6,
      30_000,
    );

    // Everything at once, through the proxy: each request goes to the next process.
    const discordCommands = Array.from({ length: COMMANDS }, (_, i) =>
      discord.slashCommand(MEMBERS[i % MEMBERS.length]!, ['today']),
    );
    const discordClicks = DISCORD_CHANNELS.flatMap((c) =>
      MEMBERS.map((m) => {
        const drill = discord.channelMessages(c)[0]!;
        return discord.clickButton(m, drill, answerButton(drill));
      }),
    );
    // Each click again while the first is in flight, to the next process: the two race to store it.
    const retries = discordClicks.map((c) => discord.deliver(c.id));
    const [slackCommands, slackClicks] = await Promise.all([
      Promise.all(
        Array.from({ length: COMMANDS }, (_, i) =>
          command(proxy, slack, { text: 'today', channel: SLACK_CHANNELS[i % 3]!, user: `UC${i}` }),
        ),
      ),
      Promise.all(
        SLACK_CHANNELS.flatMap((c) => SLACK_USERS.map((u) => click(proxy, slack, slack.postsIn(c)[0]!, u))),
      ),
    ]);
    const slackTags = [...slackCommands, ...slackClicks].map((r) => r.tag);
    expect([...slackCommands, ...slackClicks].map((r) => r.status)).toEqual(slackTags.map(() => 200));
    await slack.waitFor(
      'every Slack reply',
      () => slackTags.every((t) => slack.replies.some((r) => r.tag === t)),
      30_000,
    );
    const discordIds = [...discordCommands, ...discordClicks].map((i) => i.id);
    await Promise.all(discordIds.map((id) => discord.waitForReply(id)));
    expect((await Promise.all(retries)).map((r) => r.status)).toEqual(retries.map(() => 200));

    // A scheduler run on every process after the traffic: nothing is posted twice late either.
    const since = Date.now();
    await Promise.all(services.map((s) => schedulerRunAfter(s, since, 30_000)));

    // Every command and click answered exactly once.
    const repliesPerTag = slackTags.map((t) => slack.replies.filter((r) => r.tag === t).length);
    expect(repliesPerTag).toEqual(slackTags.map(() => 1));
    /** An interaction's HTTP responses, and each message it was answered with (in a response or over REST). */
    const answersTo = (id: string) => {
      const state = discord.interaction(id)!;
      const edits = discord.requestsTo('PATCH', new RegExp(`/${state.token}/messages/@original$`));
      const messages = [
        ...state.callbacks.filter((c) => c.type === 4).map((c) => c.data),
        ...edits.map((e) => e.body),
        ...state.followUps,
      ].map((m) => JSON.stringify(m));
      return { callbacks: state.callbacks.length, messages };
    };
    const commandAnswers = discordCommands.map((c) => answersTo(c.id));
    expect(commandAnswers.map((a) => [a.callbacks, a.messages.length])).toEqual(
      commandAnswers.map(() => [1, 1]),
    );
    // Each delivery of a click answered once: one with the click's result, the other saying it stands.
    const clickAnswers = discordClicks.map((c) => answersTo(c.id));
    expect(clickAnswers.map((a) => [a.callbacks, a.messages.length])).toEqual(clickAnswers.map(() => [2, 2]));
    const final = clickAnswers.map((a) => a.messages.filter((m) => m.includes('the first answer is final')));
    expect(final.map((f) => f.length)).toEqual(clickAnswers.map(() => 1));

    // Every answer stored exactly once.
    const answers = await db.query<{ platform: string; user_id: string; n: number }>(
      `select d.platform, a.user_id, count(*)::int as n from answers a join deliveries d on d.id = a.delivery_id
        group by d.platform, a.delivery_id, a.user_id`,
    );
    expect(answers.filter((a) => a.platform === 'slack')).toHaveLength(
      SLACK_CHANNELS.length * SLACK_USERS.length,
    );
    expect(answers.filter((a) => a.platform === 'discord')).toHaveLength(
      DISCORD_CHANNELS.length * MEMBERS.length,
    );
    expect(answers.every((a) => a.n === 1)).toBe(true);

    // Every drill posted exactly once to each platform: calls made, not messages kept (the fakes dedupe).
    expect(
      SLACK_CHANNELS.map(
        (c) => slack.calls.filter((k) => k.method === 'chat.postMessage' && k.params.channel === c).length,
      ),
    ).toEqual([1, 1, 1]);
    expect(
      DISCORD_CHANNELS.map((c) => discord.requestsTo('POST', new RegExp(`^/channels/${c}/messages$`)).length),
    ).toEqual([1, 1, 1]);

    // Each process served an equal share of each platform's requests (the proxy takes turns per platform).
    report('scale-out', { processes: services.length, 'requests per process': proxy.served.join('/') });
    const share = (n: number) => services.map(() => n / services.length);
    expect(proxy.servedUnder('slack')).toEqual(share(slackTags.length));
    expect(proxy.servedUnder('discord')).toEqual(share(discordIds.length + retries.length));
    const posters = await db.query<{ n: number }>(
      `select count(*)::int as n from deliveries where post_status = 'posted'`,
    );
    expect(posters[0]!.n).toBe(6);
    expect(services.every((s) => s.alive())).toBe(true);
  }, 240_000);
});
