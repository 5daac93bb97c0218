/** An in-memory adapter over the real core: type commands and click buttons as members, read the replies. */
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { platformAdminDescriptions } from '../../src/adapters/platform-admins.ts';
import { type Bot, createBot } from '../../src/bot/bot.ts';
import { loadTrack } from '../../src/content/load.ts';
import type { Track } from '../../src/content/track.ts';
import type { Schedule } from '../../src/core/calendar.ts';
import { type Clock, createManualClock } from '../../src/core/clock.ts';
import type { CommandInvocation, MentionResolver } from '../../src/core/invocation.ts';
import { silentLog } from '../../src/core/log.ts';
import type { Metrics } from '../../src/core/metrics.ts';
import type { Button, ChannelRef, OutboundMessage, UserRef } from '../../src/core/types.ts';
import type { StudyDeps } from '../../src/db/deps.ts';
import { currentDelivery, ensureDrill, getDrill } from '../../src/deliveries/deliveries.ts';
import { createTouch } from '../../src/members/touch.ts';
import type { Drill } from '../../src/plans/model.ts';
import type { TestBackend, TestDatabase } from './databases.ts';

let cachedTrack: Track | undefined;
export function realTrack(): Track {
  cachedTrack ??= loadTrack(path.resolve(import.meta.dirname, '../../content'), 'backend');
  return cachedTrack;
}

export const CHANNEL: ChannelRef = { platform: 'slack', workspaceId: 'T1', channelId: 'C1' };

export function member(name: string, extra: Partial<UserRef> = {}): UserRef {
  return { ...CHANNEL, userId: `U-${name.toLowerCase()}`, displayName: name, ...extra };
}

const resolveMention: MentionResolver = (token) => {
  const m = /^<@([A-Z0-9-]+)(?:\|([^>]+))?>$/i.exec(token);
  if (m) return { userId: m[1]!, ...(m[2] ? { displayName: m[2] } : {}) };
  const c = /^<#([A-Z0-9]+)(?:\|([^>]*))?>$/i.exec(token);
  if (c) return { channelId: c[1]!, ...(c[2] ? { name: c[2] } : {}) };
  return undefined;
};

export interface Harness {
  db: TestDatabase;
  clock: Clock & { set(at: Date | string): void; advance(ms: number): void };
  study: TestStudy;
  bot: Bot;
  track: Track;
  /** `extra`: more of the invocation, as an adapter would send it (the channel's name, say). */
  say(
    user: UserRef,
    text: string,
    channel?: ChannelRef,
    extra?: Partial<CommandInvocation>,
  ): Promise<OutboundMessage>;
  click(user: UserRef, button: Button, channel?: ChannelRef): Promise<OutboundMessage>;
  /** Creates a drill for the channel (as a manager would with `schedule set`). */
  drill(schedule: Schedule, channel?: ChannelRef): Promise<void>;
  close(): Promise<void>;
}

let requestCounter = 0;

export async function createHarness(
  backend: TestBackend,
  start = '2026-11-20T10:00:00Z',
  /** `plugins` wrap the database the bot uses (not `db.handle.db`, which tests query directly). */
  opts: { defaultTimezone?: string; metrics?: Metrics; plugins?: KyselyPlugin[] } = {},
): Promise<Harness> {
  const db = await backend.open();
  const clock = createManualClock(start);
  const track = realTrack();
  const deps: StudyDeps = {
    db: (opts.plugins ?? []).reduce((wrapped, plugin) => wrapped.withPlugin(plugin), db.handle.db),
    tracks: new Map([[track.id, track]]),
    imported: { byKey: new Map(), lastRowId: 0 },
    defaultTrackId: track.id,
    defaultTimezone: opts.defaultTimezone ?? 'UTC',
    clock,
    log: silentLog,
  };
  const study = testStudy(deps);
  const bot = createBot({
    study: deps,
    log: silentLog,
    clock,
    platformAdmins: platformAdminDescriptions(),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  return {
    db,
    clock,
    study,
    bot,
    track,
    say: (user, text, channel = CHANNEL, extra = {}) =>
      bot.handleCommand({
        channel,
        user: { ...user, ...channel, userId: user.userId },
        input: { kind: 'text', text, resolveMention },
        requestId: `req-${++requestCounter}`,
        receivedAt: clock.now(),
        ...extra,
      }),
    click: async (user, button, channel = CHANNEL) =>
      (
        await bot.handleAction({
          channel,
          user,
          actionId: button.actionId,
          value: button.value,
          requestId: `req-${++requestCounter}`,
          receivedAt: clock.now(),
        })
      ).reply,
    drill: async (schedule, channel = CHANNEL) => {
      await study.touch({ ...channel, userId: 'U-admin', displayName: 'Admin' });
      await study.ensureDrill(channel, schedule, 'U-admin', new Date(0));
    },
    close: () => db.drop(),
  };
}

/** The button for a letter on a message that has answer buttons. */
export function button(msg: OutboundMessage, letter: 'A' | 'B' | 'C' | 'D'): Button {
  const b = msg.card?.buttons?.find((x) => (x.key ?? x.label) === letter);
  if (!b) throw new Error(`no ${letter} button on: ${msg.text.slice(0, 80)}`);
  return b;
}

/** The feature functions tests reach for, bound to one harness's dependencies. */
function testStudy(deps: StudyDeps) {
  return {
    deps,
    touch: createTouch(deps),
    getDrill: (channel: ChannelRef) => getDrill(deps, channel),
    currentDelivery: (drill: Drill) => currentDelivery(deps, drill),
    ensureDrill: (...args: Parameters<typeof ensureDrill> extends [unknown, ...infer R] ? R : never) =>
      ensureDrill(deps, ...args),
  };
}
type TestStudy = ReturnType<typeof testStudy>;
