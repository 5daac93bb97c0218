/**
 * The Bolt listeners: button clicks and uninstall events here, slash commands in slack-commands.ts. Slack
 * never resends an acknowledged interaction, so a click's answer is stored before the ack; the reply and
 * other slow follow-up work run after it, in per-workspace queues.
 */
import { randomUUID } from 'node:crypto';
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { ActionResult } from '../../core/invocation.ts';
import type { ChannelRef, UserRef } from '../../core/types.ts';
import { listenForCommands, type Reply, replier } from './slack-commands.ts';
import {
  memberLookups,
  openForm,
  postReply,
  publishHome,
  registerNativeListeners,
  type SlackListenerDeps,
} from './slack-native.ts';
import { coreActionId } from './slack-render.ts';
import { formContext } from './slack-views.ts';

/** Clicks already handled, so a redelivery (x-slack-retry-num) is not answered twice. */
const SEEN_MAX = 10_000;

/** Where a click happened: a message's channel, or for a Home tab button the DM named in the view. */
function clickChannel(body: BlockAction): ChannelRef {
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  const fromView = body.view ? formContext(body.view.private_metadata)?.channelId : undefined;
  return {
    platform: 'slack',
    workspaceId: teamId,
    channelId: body.channel?.id ?? body.container?.channel_id ?? fromView ?? 'unknown',
  };
}

/** After the ack: the reply (through response_url, or posted where a Home button has none), then the Home. */
async function afterClick(
  deps: SlackListenerDeps,
  reply: Reply,
  args: { body: BlockAction; respond: RespondFn; channel: ChannelRef; user: UserRef },
  result: ActionResult,
) {
  const { body, respond, channel, user } = args;
  const message = { ...result.reply, visibility: 'ephemeral' as const };
  if (body.response_url) await reply(respond, message, channel, user);
  else {
    // A Home tab button has no response_url: its reply goes to the app's DM with the member.
    const dm = formContext(body.view?.private_metadata)?.channelId ?? user.userId;
    const client = await deps.clients.forTeam(channel.workspaceId);
    await postReply(deps, client, { ...channel, channelId: dm }, user.userId, message);
  }
  // Best effort: the answer (or the pause) is stored and told whatever happens to the Home tab. A click on
  // the Home itself republishes it (a Pause becomes a Resume); an answer refreshes a Home opened lately.
  const fromHome = body.view?.type === 'home';
  if (result.memberChanged || fromHome)
    await publishHome(deps, channel.workspaceId, user.userId, { refresh: !fromHome }).catch((err: unknown) =>
      deps.log.warn({ err, team: channel.workspaceId }, 'slack home refresh failed'),
    );
}

function listenForClicks(app: App, deps: SlackListenerDeps, reply: Reply) {
  const { bot, clock, log, track, work } = deps;
  const seen = new Set<string>();
  const firstTime = (key: string): boolean => {
    if (seen.has(key)) return false;
    if (seen.size >= SEEN_MAX) seen.delete(seen.values().next().value!);
    seen.add(key);
    return true;
  };

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions' }, async ({ ack, body, action, respond }) => {
    const channel = clickChannel(body);
    const teamId = channel.workspaceId;
    // The same click redelivered (x-slack-retry-num) has the same action_ts: answer it once.
    if (!firstTime(`${teamId}:${body.user.id}:${action.action_ts}:${action.action_id}`)) {
      await ack();
      log.info({ team: teamId, user: body.user.id }, 'slack click already handled; ignoring redelivery');
      return;
    }
    const requestId = randomUUID();
    const user: UserRef = {
      ...channel,
      userId: body.user.id,
      displayName: body.user.name ?? body.user.username ?? body.user.id,
    };
    const { isPlatformAdmin, userTimezone } = memberLookups(deps, teamId, user.userId);
    // The answer is stored (one insert under its unique key) before the ack; a redelivery or a double
    // click finds it there and is told which answer counts.
    const accepted = await bot.acceptAction({
      channel,
      user,
      actionId: coreActionId(action.action_id),
      value: action.value ?? '',
      ...(body.container?.message_ts ? { messageId: body.container.message_ts } : {}),
      requestId,
      receivedAt: clock.now(),
      isPlatformAdmin,
      userTimezone,
      forms: true,
    });
    await ack();
    if (accepted.form) {
      await openForm(deps, teamId, body.trigger_id, accepted.form, channel.channelId).catch((err: unknown) =>
        log.error({ err, requestId }, 'slack form failed to open'),
      );
      return;
    }
    await track(
      work(teamId, async () =>
        afterClick(deps, reply, { body, respond, channel, user }, await accepted.finish()),
      ).catch((err: unknown) => log.error({ err, requestId }, 'slack click failed after ack')),
    );
  });
}

/** An uninstalled app or a revoked bot token: the workspace's client and installation are forgotten. */
function listenForUninstalls(app: App, { clients, installations, log }: SlackListenerDeps) {
  const forgetWorkspace = async (
    teamId: string | undefined,
    enterpriseId: string | undefined,
    isOrg: boolean,
  ) => {
    if (!teamId && !enterpriseId) return;
    if (teamId) clients.forget(teamId);
    if (installations) {
      await installations.deleteInstallation({
        teamId: teamId as string,
        enterpriseId,
        isEnterpriseInstall: isOrg,
      });
    } else {
      log.warn({ team: teamId }, 'slack app uninstalled or token revoked; SLACK_BOT_TOKEN no longer works');
    }
  };
  app.event('app_uninstalled', async ({ context }) => {
    await forgetWorkspace(context.teamId, context.enterpriseId, context.isEnterpriseInstall === true);
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot token matters: user tokens are never requested.
    if ((event.tokens.bot ?? []).length > 0)
      await forgetWorkspace(context.teamId, context.enterpriseId, context.isEnterpriseInstall === true);
  });
}

export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const reply = replier(deps);
  listenForCommands(app, deps, reply);
  listenForClicks(app, deps, reply);
  listenForUninstalls(app, deps);
  registerNativeListeners(app, deps);
  app.error(async (err) => {
    deps.log.error({ err }, 'slack listener failed');
  });
}
