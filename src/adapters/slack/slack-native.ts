/**
 * Slack's native surfaces: the welcome when the bot joins a channel (member_joined_channel), the App Home tab
 * (app_home_opened, views.publish), and forms as modals (views.open, then view_submission with inline
 * errors in the ack).
 */
import { randomUUID } from 'node:crypto';
import type { App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../core/clock.ts';
import type { Log } from '../../core/log.ts';
import type { Publisher } from '../../core/outbound.ts';
import type { BotPort as Bot } from '../../core/port.ts';
import type { ChannelRef, Form, OutboundMessage, UserRef } from '../../core/types.ts';
import type { KeyedWorkQueue } from '../work-queue.ts';
import type { SlackInstallationStore } from './installation-store.ts';
import type { AdminLookup } from './slack-admins.ts';
import type { SlackClients } from './slack-clients.ts';
import { toPublishError } from './slack-errors.ts';
import { renderSlackMessage } from './slack-render.ts';
import {
  FORM_CALLBACK,
  formContext,
  formErrors,
  readSlackForm,
  renderSlackHome,
  renderSlackModal,
} from './slack-views.ts';

export interface SlackListenerDeps {
  bot: Bot;
  clients: SlackClients;
  admins: AdminLookup;
  installations: SlackInstallationStore | undefined;
  /** Posts a public reply that has no response_url (a modal's) and the welcome. */
  publisher: Publisher;
  clock: Clock;
  log: Log;
  /** The post-ack work queue, per workspace. */
  work: KeyedWorkQueue;
  /** Members who opened their Home tab lately (on this instance): an answer refreshes theirs. */
  homes: HomeViewers;
  /** Keeps post-ack work in sight so stopping waits for it. */
  track<T>(p: Promise<T>): Promise<T>;
  /** A command whose reply is ready within this many ms replies in its ack, not through response_url. */
  replyInAckMs: number;
}

/** A Home refreshed after an answer is best effort: one try, this long at most, never a retry. */
const HOME_REFRESH_TIMEOUT_MS = 3000;
/** Bounded like the admin cache; the oldest viewer goes first. */
const HOME_VIEWERS_MAX = 10_000;

export interface HomeViewers {
  mark(teamId: string, userId: string): void;
  has(teamId: string, userId: string): boolean;
}

export function createHomeViewers(): HomeViewers {
  const seen = new Set<string>();
  return {
    mark(teamId, userId) {
      const key = `${teamId}:${userId}`;
      seen.delete(key);
      if (seen.size >= HOME_VIEWERS_MAX) seen.delete(seen.values().next().value!);
      seen.add(key);
    },
    has: (teamId, userId) => seen.has(`${teamId}:${userId}`),
  };
}

/**
 * users.info runs inside Slack's 3 s (a manager check, a form's time zone): one try, this long at most;
 * a failure counts as "not an admin" and "no time zone" (granted managers still manage).
 */
const LOOKUP_TIMEOUT_MS = 1500;

/** Asks Slack about a member only when the bot needs it: their role, their own time zone, their name. */
export function memberLookups(
  { clients, admins, log }: Pick<SlackListenerDeps, 'clients' | 'admins' | 'log'>,
  teamId: string,
  userId: string,
) {
  const profile = async () => {
    try {
      const client = await clients.oneShot(teamId, { timeoutMs: LOOKUP_TIMEOUT_MS });
      return await admins.profile(client, teamId, userId);
    } catch (err) {
      log.warn({ err, team: teamId }, 'slack member lookup failed; granted managers can still manage');
      return { admin: false, timezone: undefined, name: undefined };
    }
  };
  return {
    isPlatformAdmin: async () => (await profile()).admin,
    userTimezone: async () => (await profile()).timezone,
    name: async () => (await profile()).name,
  };
}

/** Opens a form as a modal with the trigger of the command or click that asked for it (valid for 3 s). */
export async function openForm(
  deps: SlackListenerDeps,
  teamId: string,
  triggerId: string,
  form: Form,
  channelId: string,
): Promise<void> {
  const client = await deps.clients.forTeam(teamId);
  await client.views.open({ trigger_id: triggerId, view: renderSlackModal(form, { channelId }) as never });
}

/**
 * Publishes a member's Home tab; `dmChannelId` is where its buttons answer (the app's DM with them). A
 * `refresh` (after an answer) goes only to members who opened their Home lately, with one bounded try.
 */
export async function publishHome(
  deps: SlackListenerDeps,
  teamId: string,
  userId: string,
  opts: { dmChannelId?: string; refresh?: boolean } = {},
): Promise<void> {
  if (opts.refresh && !deps.homes.has(teamId, userId)) return;
  if (!opts.refresh) deps.homes.mark(teamId, userId);
  const lookups = memberLookups(deps, teamId, userId);
  const user: UserRef = {
    platform: 'slack',
    workspaceId: teamId,
    userId,
    displayName: (await lookups.name()) ?? userId,
  };
  const view = await deps.bot.home(user, { isPlatformAdmin: lookups.isPlatformAdmin });
  const client = opts.refresh
    ? await deps.clients.oneShot(teamId, { timeoutMs: HOME_REFRESH_TIMEOUT_MS })
    : await deps.clients.forTeam(teamId);
  await client.views.publish({
    user_id: userId,
    view: renderSlackHome(view, { channelId: opts.dmChannelId ?? userId }) as never,
  });
}

/** A reply that has no response_url (a modal's, a Home button's): public into the channel, else ephemeral. */
export async function postReply(
  deps: SlackListenerDeps,
  client: WebClient,
  channel: ChannelRef,
  userId: string,
  reply: OutboundMessage,
): Promise<void> {
  if (reply.visibility === 'public') {
    await deps.publisher.post(channel, reply);
    return;
  }
  const rendered = renderSlackMessage(reply);
  const body = {
    text: rendered.text,
    ...(rendered.blocks ? { blocks: rendered.blocks as never } : {}),
    ...(rendered.attachments ? { attachments: rendered.attachments as never } : {}),
  };
  // In the app's DM (a Home button) an ephemeral message is a plain one; in a channel, only for them.
  if (channel.channelId.startsWith('D') || channel.channelId === userId)
    await client.chat.postMessage({ channel: channel.channelId, ...body });
  else await client.chat.postEphemeral({ channel: channel.channelId, user: userId, ...body });
}

function listenForJoins(app: App, deps: SlackListenerDeps) {
  app.event('member_joined_channel', async ({ event, context }) => {
    // Only the bot's own arrival: members joining later are not welcomed one by one.
    if (!context.botUserId || event.user !== context.botUserId) return;
    const channel: ChannelRef = {
      platform: 'slack',
      workspaceId: context.teamId ?? event.team,
      channelId: event.channel,
    };
    const welcome = await deps.bot.welcome(channel);
    if (!welcome) {
      deps.log.info({ channel: channel.channelId }, 'slack channel already welcomed');
      return;
    }
    try {
      await deps.publisher.post(channel, welcome);
      deps.log.info({ channel: channel.channelId }, 'slack welcome posted');
    } catch (err) {
      // Unclaimed again: the bot added back (or the event redelivered) welcomes the channel then.
      await deps.bot.welcomeFailed(channel);
      deps.log.warn({ code: toPublishError(err).code, channel: channel.channelId }, 'slack welcome failed');
    }
  });
}

function listenForHome(app: App, deps: SlackListenerDeps) {
  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? '';
    await deps
      .track(publishHome(deps, teamId, event.user, { dmChannelId: event.channel }))
      .catch((err: unknown) => deps.log.warn({ err, team: teamId }, 'slack home publish failed'));
  });
}

async function onSubmit(
  deps: SlackListenerDeps,
  { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>,
) {
  const context = formContext(view.private_metadata);
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  if (!context) {
    await ack();
    return;
  }
  const channel: ChannelRef = { platform: 'slack', workspaceId: teamId, channelId: context.channelId };
  const user: UserRef = { ...channel, userId: body.user.id, displayName: body.user.name ?? body.user.id };
  const requestId = randomUUID();
  // The command's effect is stored before the ack; a reason about a field goes back in the ack, inline.
  const outcome = await deps.bot.submitForm({
    channel,
    user,
    formId: view.callback_id.slice(FORM_CALLBACK.length),
    values: readSlackForm(view.state.values as never),
    requestId,
    receivedAt: deps.clock.now(),
    isPlatformAdmin: memberLookups(deps, teamId, body.user.id).isPlatformAdmin,
  });
  if (outcome.kind === 'invalid') {
    await ack({ response_action: 'errors', errors: formErrors(view, outcome.errors) });
    return;
  }
  await ack();
  await deps.track(
    deps
      .work(teamId, async () =>
        postReply(deps, await deps.clients.forTeam(teamId), channel, user.userId, outcome.reply),
      )
      .catch((err: unknown) => deps.log.error({ err, requestId }, 'slack form reply failed after ack')),
  );
}

export function registerNativeListeners(app: App, deps: SlackListenerDeps): void {
  listenForJoins(app, deps);
  listenForHome(app, deps);
  app.view<ViewSubmitAction>(
    { callback_id: new RegExp(`^${FORM_CALLBACK}`), type: 'view_submission' },
    (args) => onSubmit(deps, args),
  );
}
