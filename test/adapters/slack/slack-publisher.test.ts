import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackClients } from '../../../src/adapters/slack/slack-clients.ts';
import { createSlackPublisher } from '../../../src/adapters/slack/slack-publisher.ts';
import { BRAND } from '../../../src/core/brand.ts';
import { silentLog } from '../../../src/core/log.ts';
import { noopMetrics } from '../../../src/core/metrics.ts';
import { PublishError } from '../../../src/core/outbound.ts';
import type { Card, ChannelRef } from '../../../src/core/types.ts';

const channel: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };
const publisher = createSlackPublisher({
  clients: createSlackClients({
    auth: { kind: 'single', botToken: 'xoxb-test' },
    apiUrl: undefined,
    log: silentLog,
    metrics: noopMetrics,
  }),
  log: silentLog,
});
const api = () => nock('https://slack.com');

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

async function failure(p: Promise<unknown>): Promise<PublishError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PublishError);
  return err as PublishError;
}

describe('Slack publisher', () => {
  it('posts Block Kit with the fallback text and the bot token, and returns the ts', async () => {
    api()
      .post(
        '/api/chat.postMessage',
        (b) => b.channel === 'C1' && b.text === '*hi*' && typeof b.blocks === 'string',
      )
      .matchHeader('authorization', 'Bearer xoxb-test')
      .reply(200, { ok: true, channel: 'C1', ts: '1700000000.000100' });
    const ref = await publisher.post(channel, {
      text: '**hi**',
      card: { title: 'T', sections: [{ body: 'b' }] },
    });
    expect(ref).toEqual({ channel, messageId: '1700000000.000100' });
  });

  it('posts a card’s colour as one attachment, and an update replaces it (an empty list clears it)', async () => {
    const colour = (b: Record<string, unknown>) =>
      (JSON.parse(String(b.attachments)) as { color: string }[]).map((a) => a.color);
    const card: Card = { title: 'T', sections: [{ body: 'b' }], footer: 'f', accent: 'drill' };
    api()
      .post('/api/chat.postMessage', (b) => colour(b).join() === BRAND.drill)
      .reply(200, { ok: true, channel: 'C1', ts: '1.2' });
    const ref = await publisher.post(channel, { text: 'd', card });
    api()
      .post('/api/chat.update', (b) => b.ts === '1.2' && colour(b).join() === BRAND.results)
      .reply(200, { ok: true, channel: 'C1', ts: '1.2' });
    await publisher.update(ref, { text: 'd', card: { ...card, accent: 'results' } });
    api()
      .post('/api/chat.update', (b) => b.ts === '1.2' && colour(b).length === 0)
      .reply(200, { ok: true, channel: 'C1', ts: '1.2' });
    await publisher.update(ref, { text: 'plain' });
  });

  it('posts a drill’s results in its thread, broadcast to the channel, and links the drill by its permalink', async () => {
    api()
      .post(
        '/api/chat.postMessage',
        (b) => b.channel === 'C1' && b.thread_ts === '1.2' && String(b.reply_broadcast) === 'true',
      )
      .reply(200, { ok: true, channel: 'C1', ts: '1.3' });
    const ref = await publisher.post(channel, { text: 'Day 1 results' }, { replyTo: '1.2' });
    expect(ref.messageId).toBe('1.3');
    api()
      .post('/api/chat.getPermalink', (b) => b.channel === 'C1' && b.message_ts === '1.2')
      .reply(200, { ok: true, permalink: 'https://acme.slack.com/archives/C1/p12' });
    expect(await publisher.link!({ channel, messageId: '1.2' })).toBe(
      'https://acme.slack.com/archives/C1/p12',
    );
    // Without a link the results read the same, the thread holds them under the drill anyway.
    api().post('/api/chat.getPermalink').reply(200, { ok: false, error: 'message_not_found' });
    expect(await publisher.link!({ channel, messageId: '9.9' })).toBeUndefined();
  });

  it('uploads a chart with its text alternative as alt_text', async () => {
    api()
      .post(
        '/api/files.getUploadURLExternal',
        (b) => b.filename === 'report.png' && b.alt_text === 'Mon 1 Dec 3 of 4 (75%)',
      )
      .reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/abc', file_id: 'F1' });
    nock('https://files.slack.com').post('/upload/v1/abc').reply(200, 'OK');
    api()
      .post(
        '/api/files.completeUploadExternal',
        (b) => String(b.files).includes('F1') && b.channel_id === 'C1',
      )
      .reply(200, { ok: true, files: [{ id: 'F1' }] });
    api().post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C1', ts: '1.4' });
    await publisher.post(channel, {
      text: 'Cohort report',
      attachment: {
        filename: 'report.png',
        content: new Uint8Array([137, 80, 78, 71]),
        contentType: 'image/png',
        description: 'Mon 1 Dec 3 of 4 (75%)',
      },
    });
  });

  it('updates by channel and ts', async () => {
    api()
      .post('/api/chat.update', (b) => b.channel === 'C1' && b.ts === '1.2' && b.text === 'new')
      .reply(200, { ok: true });
    await publisher.update({ channel, messageId: '1.2' }, { text: 'new' });
  });

  it('DMs through conversations.open', async () => {
    api()
      .post('/api/conversations.open', (b) => b.users === 'U1')
      .reply(200, { ok: true, channel: { id: 'D9' } })
      .post('/api/chat.postMessage', (b) => b.channel === 'D9')
      .reply(200, { ok: true, ts: '3.4' });
    await publisher.sendDirect({ platform: 'slack', workspaceId: 'T1', userId: 'U1' }, { text: 'psst' });
  });

  it('uploads the file of a message into the channel with files.uploadV2', async () => {
    api()
      .post('/api/chat.postMessage', (b) => b.channel === 'C1' && b.text === 'Export')
      .reply(200, { ok: true, channel: 'C1', ts: '5.6' })
      .post('/api/files.getUploadURLExternal', (b) => b.filename === 'a.csv' && Number(b.length) === 4)
      .reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/zz', file_id: 'F1' })
      .post(
        '/api/files.completeUploadExternal',
        (b) => b.channel_id === 'C1' && b.initial_comment === 'a.csv' && String(b.files).includes('F1'),
      )
      .reply(200, { ok: true, files: [{ id: 'F1' }] });
    nock('https://files.slack.com').post('/upload/v1/zz').reply(200, 'OK');
    await publisher.post(channel, {
      text: 'Export',
      attachment: { filename: 'a.csv', content: 'a,b\n', contentType: 'text/csv' },
    });
  });

  it.each([
    ['channel_not_found', true, /invite the bot or schedule the drill in another channel/],
    ['not_in_channel', true, /\/invite the bot/],
    ['is_archived', true, /archived/],
    ['account_inactive', true, /deactivated.*reinstall/],
    ['invalid_auth', true, /rejected the bot token.*reinstall/],
    ['token_revoked', true, /revoked.*reinstall/],
    ['missing_scope', true, /permission/],
    ['invalid_blocks', true, /bug in roadmap-bot/],
    ['ratelimited', false, /rate limiting/],
    ['internal_error', false, /try again/],
    ['something_new', false, /"something_new"/],
  ])('maps %s to permanent=%s with a reason a manager can act on', async (code, permanent, reason) => {
    api().post('/api/chat.postMessage').reply(200, { ok: false, error: code });
    const err = await failure(publisher.post(channel, { text: 'x' }));
    expect(err.code).toBe(code);
    expect(err.permanent).toBe(permanent);
    expect(err.reason).toMatch(reason);
    expect(err.reason).not.toContain('\n');
  });

  it('maps a failed DM open (user_not_found) and a deleted message on update as permanent', async () => {
    api().post('/api/conversations.open').reply(200, { ok: false, error: 'user_not_found' });
    const dm = await failure(
      publisher.sendDirect({ platform: 'slack', workspaceId: 'T1', userId: 'U0' }, { text: 'x' }),
    );
    expect(dm).toMatchObject({ code: 'user_not_found', permanent: true });
    api().post('/api/chat.update').reply(200, { ok: false, error: 'message_not_found' });
    const upd = await failure(publisher.update({ channel, messageId: '9.9' }, { text: 'x' }));
    expect(upd).toMatchObject({ code: 'message_not_found', permanent: true });
  });
});
