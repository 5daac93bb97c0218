/**
 * Discord in HTTP mode end to end: the real HTTP server on loopback with the Interactions Endpoint mounted,
 * interactions POSTed and signed by the fake Discord with a generated Ed25519 key pair, answers in the HTTP
 * response (or deferred and edited over REST), and drills posted over REST with no gateway session.
 */
import { connect } from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformAdapter } from '../../../src/adapters/adapter.ts';
import { INTERACTIONS_PATH } from '../../../src/adapters/discord/discord-http.ts';
import { ALL_DAYS } from '../../../src/core/commands/options.ts';
import type { ChannelRef } from '../../../src/core/types.ts';
import { createDispatcher } from '../../../src/deliveries/dispatcher.ts';
import type { HttpServer } from '../../../src/server/http-server.ts';
import {
  applicationKeys,
  FAKE_APP_ID,
  FAKE_CHANNEL_ID,
  FAKE_GUILD_ID,
  FAKE_MANAGER_ROLE_ID,
  type FakeDiscord,
  type FakeMember,
  type FakeMessage,
  PERMISSIONS,
  signedHeaders,
  startFakeDiscord,
} from '../../fake-discord/fake-discord.ts';
import { backends } from '../../helpers/databases.ts';
import { createHarness, type Harness } from '../../helpers/harness.ts';
import { recordingLog } from '../../helpers/recording-log.ts';
import { serveDiscordHttp } from './http-fixtures.ts';
import { expectLivePlatformAdmin } from './platform-admin.ts';

const CHANNEL: ChannelRef = { platform: 'discord', workspaceId: FAKE_GUILD_ID, channelId: FAKE_CHANNEL_ID };
const ana: FakeMember = { id: '100000000000000001', name: 'Ana' };
const lead: FakeMember = { id: '100000000000000003', name: 'Lea', roles: [FAKE_MANAGER_ROLE_ID] };
const owner: FakeMember = { id: '100000000000000004', name: 'Olu', permissions: PERMISSIONS.manageGuild };
const LETTERS = ['A', 'B', 'C', 'D'] as const;
const letterOf = (label: string | undefined) => label?.split(' · ')[0];
const embedsOf = (m: { embeds: unknown[] }) => m.embeds as { title?: string; description?: string }[];
const buttonsOf = (m: { components: unknown[] }) =>
  (m.components as { components: { custom_id: string; label: string }[] }[]).flatMap((r) => r.components);

describe.each(backends)('Discord over HTTP on $name (Interactions Endpoint, REST only)', (backend) => {
  let h: Harness;
  let fake: FakeDiscord;
  let keys: ReturnType<typeof applicationKeys>;
  const log = recordingLog();
  const running: { adapter: PlatformAdapter; server: HttpServer }[] = [];

  /** The adapter on a real HTTP server on loopback; returns the endpoint's URL. */
  async function serve(ackWithinMs?: number) {
    const { adapter, server, port } = await serveDiscordHttp({
      h,
      fake,
      keys,
      log,
      ...(ackWithinMs !== undefined ? { ackWithinMs } : {}),
    });
    running.push({ adapter, server });
    return { adapter, url: `http://127.0.0.1:${port}${INTERACTIONS_PATH}` };
  }

  let adapter: PlatformAdapter;
  let url: string;
  beforeEach(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    fake = await startFakeDiscord();
    keys = applicationKeys();
    log.lines.length = 0;
    ({ adapter, url } = await serve());
    fake.useEndpoint(url, keys.privateKey, () => h.clock.now().getTime());
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      await r.server.close(1000);
      await r.adapter.stop();
    }
    await fake.close();
    await h.close();
  });

  const nowSeconds = () => Math.floor(h.clock.now().getTime() / 1000);
  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers, body });
  const command = JSON.stringify({ id: '1', type: 2, token: 't', application_id: FAKE_APP_ID, data: {} });

  it('refuses a missing or malformed signature with 401', async () => {
    const missing = await post(command, { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    const garbage = await post(command, {
      ...signedHeaders(command, keys.privateKey, nowSeconds()),
      'x-signature-ed25519': 'ab'.repeat(64),
    });
    expect(garbage.status).toBe(401);
    expect(log.lines.filter((l) => l.msg === 'discord request refused')).toHaveLength(2);
  });

  it('refuses a body signed by another key, and a body changed after signing, with 401', async () => {
    const other = applicationKeys();
    const forged = await post(command, signedHeaders(command, other.privateKey, nowSeconds()));
    expect(forged.status).toBe(401);
    const headers = signedHeaders(command, keys.privateKey, nowSeconds());
    const tampered = await post(command.replace('"id":"1"', '"id":"2"'), headers);
    expect(tampered.status).toBe(401);
    // The same request untouched is accepted, so what failed above was the signature.
    const ping = JSON.stringify({ id: '3', type: 1, application_id: FAKE_APP_ID, token: 't', version: 1 });
    expect((await post(ping, signedHeaders(ping, keys.privateKey, nowSeconds()))).status).toBe(200);
  });

  it('refuses a stale timestamp by its own clock (a replay), even when correctly signed', async () => {
    const ping = JSON.stringify({ id: '3', type: 1, application_id: FAKE_APP_ID, token: 't', version: 1 });
    const stale = await post(ping, signedHeaders(ping, keys.privateKey, nowSeconds() - 6 * 60));
    expect(stale.status).toBe(401);
    const future = await post(ping, signedHeaders(ping, keys.privateKey, nowSeconds() + 6 * 60));
    expect(future.status).toBe(401);
    expect(log.lines.map((l) => l.obj.reason).filter(Boolean)).toEqual([
      'timestamp too old',
      'timestamp in the future',
    ]);
  });

  /**
   * Sends a request head and `body` (saying it is `declared` bytes long, when given) over a raw socket and
   * never ends it. Resolves with the status the endpoint answers. nock, when a test file before this one in
   * the same worker left it active, intercepts sockets too and holds an unfinished request back until it
   * ends, so the test switches it off while it runs.
   */
  function unfinished(body: Buffer, declared?: number) {
    const { hostname, port, pathname } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined); // the endpoint may close the connection once it has answered
    const status = new Promise<number | undefined>((resolve) => {
      let head = '';
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
        if (m) resolve(Number(m[1]));
      });
      socket.on('close', () => resolve(undefined));
    });
    const length = declared === undefined ? 'transfer-encoding: chunked' : `content-length: ${declared}`;
    socket.write(`POST ${pathname} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${length}\r\n\r\n`);
    socket.write(
      declared === undefined ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body]) : body,
    );
    return { status, abort: () => socket.destroy() };
  }

  it('refuses an oversized body with 413 as soon as it is too large, without reading the rest', async () => {
    const nockWasActive = nock.isActive();
    if (nockWasActive) nock.restore();
    try {
      // Declared too large: refused before any of it is read.
      const declared = unfinished(Buffer.from('{'), 2 * 1024 * 1024);
      expect(await declared.status).toBe(413);
      declared.abort();
      // Streamed past the limit with no length given: refused at the limit, though the sender goes on.
      const streamed = unfinished(Buffer.alloc(1024 * 1024 + 1, 0x20));
      expect(await streamed.status).toBe(413);
      streamed.abort();
    } finally {
      if (nockWasActive) nock.activate();
    }
  });

  it('says whether a member is a platform admin now, over REST with no gateway cache (the dashboard asks on every request)', async () => {
    await expectLivePlatformAdmin(adapter, fake, h.clock);
    expect(fake.requestsTo('GET', new RegExp(`^/guilds/${FAKE_GUILD_ID}$`))).toHaveLength(1);
  });

  it('answers PING with PONG', async () => {
    const ping = JSON.stringify({ id: '3', type: 1, application_id: FAKE_APP_ID, token: 't', version: 1 });
    const res = await post(ping, signedHeaders(ping, keys.privateKey, nowSeconds()));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('/roadmap today is answered in the HTTP response, ephemerally, with no gateway session', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    const { id } = fake.slashCommand(ana, ['today']);
    const reply = await fake.waitForReply(id);
    const [answer] = fake.interaction(id)!.callbacks;
    expect(answer).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(embedsOf(reply)[0]?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
    expect(buttonsOf(reply).map((b) => letterOf(b.label))).toEqual([...LETTERS, 'Read the card']);
    // Nothing went over REST for it, and no gateway was asked for.
    expect(fake.requests.filter((r) => !r.viaEndpoint)).toEqual([]);
    expect(fake.identifies).toEqual([]);
  });

  it('/roadmap me answers its text in the HTTP response; its calendar, drawn after, joins it by an edit over REST', async () => {
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    const { id, token } = fake.slashCommand(ana, ['me']);
    const original = new RegExp(`^/webhooks/${FAKE_APP_ID}/${token}/messages/@original$`);
    const upload = await fake.waitForRequest((r) => r.method === 'PATCH' && original.test(r.path));
    const [answer] = fake.interaction(id)!.callbacks;
    expect(answer).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(JSON.stringify(answer!.data)).toContain('Study days:');
    expect(upload.files).toHaveLength(1);
    expect(fake.requestsTo('PATCH', original)).toHaveLength(1);
    // No study day has passed yet: the calendar is an empty one.
    expect(fake.interaction(id)!.original!.attachments.map((a) => a.filename)).toEqual([
      'study-days-none.png',
    ]);
  });

  it('an answer not ready in time is deferred (type 5) and then edits the original over REST', async () => {
    const slow = await serve(50);
    fake.useEndpoint(slow.url, keys.privateKey, () => h.clock.now().getTime());
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    // A member with a role: whether it is the manager role is asked of Discord, which is slow today.
    fake.delay('GET', /^\/guilds\/\d+$/, 400);
    const { id, token } = fake.slashCommand(lead, ['today']);
    const reply = await fake.waitForReply(id);
    expect(fake.interaction(id)!.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    expect(
      fake.requestsTo('PATCH', new RegExp(`^/webhooks/${FAKE_APP_ID}/${token}/messages/@original$`)),
    ).toHaveLength(1);
    expect(embedsOf(reply)[0]?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
  });

  it('autocomplete not ready in time answers with no choices: a deferral is no answer to it', async () => {
    const slow = await serve(50);
    fake.useEndpoint(slow.url, keys.privateKey, () => h.clock.now().getTime());
    // Whether the member holds the manager role is asked of Discord before the names are suggested.
    fake.delay('GET', /^\/guilds\/\d+$/, 400);
    const { id } = fake.autocomplete(lead, ['team', 'join'], { name: 'team', value: 'B' });
    await fake.waitForRequest((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`));
    expect(fake.interaction(id)!.callbacks).toEqual([{ type: 8, data: { choices: [] } }]);
  });

  it("a server's role names are asked of Discord once a minute, not on every interaction", async () => {
    for (const path of [['today'], ['me'], ['streak']]) {
      const { id } = fake.slashCommand(lead, path);
      await fake.waitForReply(id);
    }
    expect(fake.requestsTo('GET', /^\/guilds\/\d+$/)).toHaveLength(1);
    h.clock.set('2026-11-20T10:01:01Z');
    await fake.waitForReply(fake.slashCommand(lead, ['today']).id);
    expect(fake.requestsTo('GET', /^\/guilds\/\d+$/)).toHaveLength(2);
  });

  it('the first command in a channel answers in the response and brings the welcome as a REST follow-up', async () => {
    const { id, token } = fake.slashCommand(ana, ['help']);
    await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/webhooks/${FAKE_APP_ID}/${token}`);
    const state = fake.interaction(id)!;
    expect(state.callbacks).toMatchObject([{ type: 4, data: { flags: 64 } }]);
    expect(state.followUps).toHaveLength(1);
    expect(state.followUps[0]!.flags ?? 0).toBe(0);
  });

  it('a public command answered privately becomes one ephemeral response (no placeholder to delete)', async () => {
    const { id, token } = fake.slashCommand(
      ana,
      ['leaderboard'],
      [{ name: 'period', type: 3, value: 'yearly' }],
    );
    const reply = await fake.waitForReply(id);
    expect(fake.interaction(id)!.callbacks).toMatchObject([{ type: 4, data: { flags: 64 } }]);
    expect(reply.content).toContain('`period`: `yearly` is not one of');
    // The channel's first command also brings the welcome; that follow-up must not take the answer away.
    await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/webhooks/${FAKE_APP_ID}/${token}`);
    const [served] = running.splice(0);
    await served!.adapter.stop(); // waits for the flow to finish
    await served!.server.close(1000);
    expect(fake.interaction(id)!.followUps).toHaveLength(1);
    expect(fake.requestsTo('DELETE', /@original$/)).toEqual([]);
  });

  /** A drill posted through the adapter's publisher (REST), as the scheduler does. */
  async function postedDrill(): Promise<FakeMessage> {
    const dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['discord', adapter.publisher]]) },
      { catchupMs: 6 * 3_600_000 },
    );
    await h.drill({ timeOfDay: '10:30', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);
    h.clock.set('2026-11-20T10:30:05Z');
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 1 });
    return fake.channelMessages()[0]!;
  }

  it('a scheduled drill posts over REST with no gateway session', async () => {
    const drill = await postedDrill();
    expect(embedsOf(drill)[0]?.title).toBe(`Day 1 · ${h.track.cards[0]!.title}`);
    const sent = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ authorized: true, body: { enforce_nonce: true } });
    expect(fake.requestsTo('GET', /^\/gateway/)).toEqual([]);
    expect(fake.identifies).toEqual([]);
  });

  it('a click records the answer once, even when Discord delivers it again', async () => {
    const drill = await postedDrill();
    const q = h.track.cards[0]!.questions[0]!;
    const right = LETTERS[q.correctIndex]!;
    const button = buttonsOf(drill).find((b) => letterOf(b.label) === right)!;
    const click = fake.clickButton(ana, drill, button.custom_id);
    const first = await fake.waitForReply(click.id);
    expect(fake.interaction(click.id)!.callbacks[0]).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(embedsOf(first)[0]?.title).toBe(`✅ Correct: ${right}`);
    const again = await fake.deliver(click.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((again.body as { data: { content: string } }).data.content).toContain('first answer is final');
    const answers = await h.db.handle.db.selectFrom('answers').selectAll().execute();
    expect(answers.map((a) => [a.user_id, a.delivery_id])).toEqual([[ana.id, answers[0]!.delivery_id]]);
  });

  it('a form opens as a modal in the response, and its submission sets the drill', async () => {
    const opened = fake.slashCommand(owner, ['schedule', 'set']);
    await fake.waitForReply(opened.id);
    const modal = fake.interaction(opened.id)!.callbacks[0]!;
    expect(modal).toMatchObject({ type: 9, data: { custom_id: 'roadmap.form:schedule set' } });
    const submit = fake.submitModal(owner, 'roadmap.form:schedule set', [
      { type: 4, custom_id: 'time', value: '08:30' },
      { type: 22, custom_id: 'days', values: ['mon', 'wed', 'fri'] },
      { type: 3, custom_id: 'tz', values: ['Europe/Berlin'] },
      { type: 4, custom_id: 'reveal', value: '' },
    ]);
    const reply = await fake.waitForReply(submit.id);
    expect(fake.interaction(submit.id)!.callbacks[0]).toMatchObject({ type: 4, data: { flags: 0 } });
    expect(reply.content).toContain("scheduled this channel's drill: 08:30 Mon, Wed, Fri (Europe/Berlin)");
    expect((await h.study.getDrill(CHANNEL))?.schedule).toEqual({
      timeOfDay: '08:30',
      days: 0b0010101,
      timezone: 'Europe/Berlin',
    });
  });

  it('a public answer to a form submitted after the deadline is public, though the deferral was private', async () => {
    const slow = await serve(50);
    fake.useEndpoint(slow.url, keys.privateKey, () => h.clock.now().getTime());
    // A manager by role: whether the member holds it is asked of Discord, which is slow today.
    fake.delay('GET', /^\/guilds\/\d+$/, 400);
    const submit = fake.submitModal(lead, 'roadmap.form:schedule set', [
      { type: 4, custom_id: 'time', value: '08:30' },
      { type: 22, custom_id: 'days', values: ['mon'] },
      { type: 3, custom_id: 'tz', values: ['UTC'] },
      { type: 4, custom_id: 'reveal', value: '' },
    ]);
    const reply = await fake.waitForReply(submit.id);
    expect(reply.content).toContain("scheduled this channel's drill: 08:30 Mon (UTC)");
    await fake.waitForRequest((r) => r.method === 'DELETE' && r.path.includes(submit.token));
    const state = fake.interaction(submit.id)!;
    expect(state.callbacks).toEqual([{ type: 5, data: { flags: 64 } }]);
    // The channel sees it: a public follow-up, and the private placeholder goes.
    expect(state.followUps.map((f) => f.flags ?? 0)).toEqual([0]);
    expect(fake.requestsTo('PATCH', new RegExp(`/${submit.token}/messages/@original$`))).toEqual([]);
  });

  it('autocompletes in the response', async () => {
    const module = h.track.modules[1]!;
    const { id } = fake.autocomplete(ana, ['quiz'], { name: 'module', value: module.id.slice(0, 4) });
    await fake.waitForReply(id);
    const cb = fake.interaction(id)!.callbacks[0]!;
    expect(cb.type).toBe(8);
    const choices = (cb.data?.choices ?? []) as { value: string }[];
    expect(choices.map((c) => c.value)).toContain(module.id);
  });
});
