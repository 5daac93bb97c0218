/**
 * The scheduler against slow and failing platforms: the real Slack publisher and Web API client against a
 * loopback Slack, and an in-memory platform whose posts hang, to check that every drill posts exactly once
 * and that one slow workspace never holds up another's drills.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackClients } from '../../src/adapters/slack/slack-clients.ts';
import { createSlackPublisher } from '../../src/adapters/slack/slack-publisher.ts';
import { ALL_DAYS } from '../../src/core/commands/options.ts';
import { silentLog } from '../../src/core/log.ts';
import { noopMetrics } from '../../src/core/metrics.ts';
import type { PostOptions, Publisher } from '../../src/core/outbound.ts';
import type { ChannelRef } from '../../src/core/types.ts';
import { createDispatcher } from '../../src/deliveries/dispatcher.ts';
import { backends } from '../helpers/databases.ts';
import { CHANNEL, createHarness, type Harness } from '../helpers/harness.ts';

const HOUR = 3_600_000;
const SLOT = '2026-11-23T09:00:00Z';

/** What the loopback Slack does with one chat.postMessage. */
type PostFault =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: number }
  /** The message lands in the channel, but the answer never comes back. */
  | { kind: 'lands-then-hangs' };

interface SlackMessage {
  ts: string;
  channel: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A loopback Slack Web API with a channel history, faults scripted per chat.postMessage call. */
async function startLoopbackSlack() {
  const messages: SlackMessage[] = [];
  const faults: PostFault[] = [];
  const calls = { postMessage: 0, history: 0 };
  const sockets = new Set<Socket>();
  // Slack's ts is the epoch second it stored the message, on the same clock as the scheduler's here.
  let ts = Date.parse(SLOT) / 1000;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (req.url === '/api/chat.postMessage') {
        calls.postMessage++;
        const fault = faults.shift() ?? { kind: 'ok' };
        if (fault.kind === 'status') {
          const headers: Record<string, string> =
            fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
          return json(
            { ok: false, error: fault.status === 429 ? 'ratelimited' : 'fatal_error' },
            fault.status,
            headers,
          );
        }
        const message: SlackMessage = {
          ts: `${++ts}.000100`,
          channel: form.channel!,
          ...(form.metadata ? { metadata: JSON.parse(form.metadata) } : {}),
        };
        messages.push(message);
        if (fault.kind === 'lands-then-hangs') return;
        return json({ ok: true, channel: message.channel, ts: message.ts });
      }
      if (req.url === '/api/conversations.history') {
        calls.history++;
        const oldest = Number(form.oldest ?? 0);
        const found = messages
          .filter((m) => m.channel === form.channel && Number(m.ts) >= oldest)
          .reverse()
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            ...(form.include_all_metadata === 'true' && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return json({ ok: true, messages: found, has_more: false });
      }
      json({ ok: false, error: 'unknown_method' });
    });
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    messages,
    faults,
    calls,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.each(backends)('drills against slow platforms on $name', (backend) => {
  let h: Harness;
  let slack: Awaited<ReturnType<typeof startLoopbackSlack>> | undefined;

  afterEach(async () => {
    await slack?.close();
    slack = undefined;
    await h?.close();
  });

  async function slackDispatcher() {
    slack = await startLoopbackSlack();
    const publisher = createSlackPublisher({
      clients: createSlackClients({
        auth: { kind: 'single', botToken: 'xoxb-test' },
        apiUrl: slack.url,
        log: silentLog,
        metrics: noopMetrics,
      }),
      log: silentLog,
    });
    return createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', publisher]]) },
      { catchupMs: 6 * HOUR, postTimeoutMs: 500 },
    );
  }

  async function delivery() {
    return h.db.handle.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow();
  }

  it('a Slack post that landed but never answered is found in the channel history, not posted again', async () => {
    h = await createHarness(backend, '2026-11-23T09:00:05Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const dispatcher = await slackDispatcher();
    slack!.faults.push({ kind: 'lands-then-hangs' });

    expect(await dispatcher.runOnce()).toMatchObject({ posted: 0, retrying: 1 });
    expect(slack!.messages).toHaveLength(1);
    // The drill carries its delivery's key, so a later attempt can recognise it.
    const first = await delivery();
    expect(slack!.messages[0]!.metadata).toEqual({
      event_type: 'roadmap_drill',
      event_payload: { key: `delivery-${first.id}` },
    });

    h.clock.advance(5 * 60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 1 });
    expect(slack!.messages).toHaveLength(1);
    expect(slack!.calls.postMessage).toBe(1);
    expect(await delivery()).toMatchObject({ post_status: 'posted', message_id: slack!.messages[0]!.ts });
  });

  it('a 429 with Retry-After 70 leads to exactly one post, after the wait', async () => {
    h = await createHarness(backend, '2026-11-23T09:00:05Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const dispatcher = await slackDispatcher();
    slack!.faults.push({ kind: 'status', status: 429, retryAfter: 70 });

    expect(await dispatcher.runOnce()).toMatchObject({ posted: 0, retrying: 1 });
    // The scheduler, not the client, waits out Retry-After: nothing is sent a minute later.
    h.clock.advance(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 0 });
    expect(slack!.calls.postMessage).toBe(1);
    h.clock.advance(15_000);
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 1 });
    expect(slack!.messages).toHaveLength(1);
    expect(slack!.calls.postMessage).toBe(2);
    expect(await delivery()).toMatchObject({ post_status: 'posted', message_id: slack!.messages[0]!.ts });
  });

  it('a run of 5xx answers leads to exactly one post once Slack recovers', async () => {
    h = await createHarness(backend, '2026-11-23T09:00:05Z');
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' });
    const dispatcher = await slackDispatcher();
    for (let i = 0; i < 3; i++) slack!.faults.push({ kind: 'status', status: 500 });

    let posted = 0;
    for (let run = 0; run < 8 && posted === 0; run++) {
      posted += (await dispatcher.runOnce()).posted;
      h.clock.advance(5 * 60_000);
    }
    expect(posted).toBe(1);
    // One call per scheduler attempt: the client retried none of them itself.
    expect(slack!.calls.postMessage).toBe(4);
    expect(slack!.messages).toHaveLength(1);
  });

  it('one workspace whose posts hang holds at most its own lanes: the other workspace posts meanwhile', async () => {
    h = await createHarness(backend, '2026-11-23T09:00:05Z');
    const slow = (i: number): ChannelRef => ({
      platform: 'slack',
      workspaceId: 'WSLOW',
      channelId: `CS${i}`,
    });
    // The slow workspace's drills open first, so they are first in line.
    for (let i = 0; i < 3; i++)
      await h.drill({ timeOfDay: '08:59', days: ALL_DAYS, timezone: 'UTC' }, slow(i));
    await h.drill({ timeOfDay: '09:00', days: ALL_DAYS, timezone: 'UTC' }, CHANNEL);

    const events: string[] = [];
    const publisher: Publisher = {
      platform: 'slack',
      post(channel, _message, opts: PostOptions = {}) {
        if (channel.workspaceId !== 'WSLOW') {
          events.push(`posted ${channel.channelId}`);
          return Promise.resolve({ channel, messageId: `M-${channel.channelId}` });
        }
        // Hangs until the scheduler gives up, and stops then (the signal is its only way out).
        return new Promise((_, reject) => {
          opts.signal?.addEventListener('abort', () => {
            events.push(`aborted ${channel.channelId}`);
            reject(opts.signal!.reason);
          });
        });
      },
      update: async () => {},
      sendDirect: async () => {},
    };
    const dispatcher = createDispatcher(
      { ...h.study.deps, publishers: new Map([['slack', publisher]]) },
      { catchupMs: 6 * HOUR, postTimeoutMs: 300, concurrency: 2, perWorkspace: 1 },
    );
    expect(await dispatcher.runOnce()).toMatchObject({ posted: 1, retrying: 3 });
    // The healthy workspace's drill went out before the slow one's first call was even given up.
    expect(events[0]).toBe(`posted ${CHANNEL.channelId}`);
    expect(events.filter((e) => e.startsWith('aborted')).sort()).toEqual([
      'aborted CS0',
      'aborted CS1',
      'aborted CS2',
    ]);
  });
});
