/** Classifies Slack Web API failures as PublishError: permanent ones pause a drill with a reason a manager can act on. */
import { ErrorCode } from '@slack/web-api';
import { PublishError } from '../../core/outbound.ts';

const REINSTALL =
  'reinstall the Slack app (open /slack/install, or update SLACK_BOT_TOKEN for a single workspace), then run /roadmap schedule resume';

/**
 * Slack's error strings (https://docs.slack.dev/reference/methods/chat.postMessage#errors, conversations.open,
 * files.completeUploadExternal) with whether retrying could ever help and what a manager should do.
 */
const KNOWN: Record<string, { permanent: boolean; reason: string }> = {
  channel_not_found: {
    permanent: true,
    reason:
      'Slack cannot find the channel (deleted, or private without the bot): invite the bot or schedule the drill in another channel',
  },
  not_in_channel: {
    permanent: true,
    reason: 'The bot is not in the channel: /invite the bot there, then run /roadmap schedule resume',
  },
  is_archived: {
    permanent: true,
    reason: 'The channel is archived: unarchive it or schedule the drill in another channel',
  },
  restricted_action: {
    permanent: true,
    reason:
      'The workspace does not let the bot post in this channel: ask an admin to allow it, or use another channel',
  },
  channel_is_archived: {
    permanent: true,
    reason: 'The channel is archived: unarchive it or schedule the drill in another channel',
  },
  account_inactive: { permanent: true, reason: `The bot's Slack account is deactivated: ${REINSTALL}` },
  invalid_auth: { permanent: true, reason: `Slack rejected the bot token: ${REINSTALL}` },
  not_authed: { permanent: true, reason: `No Slack token was sent: ${REINSTALL}` },
  token_revoked: { permanent: true, reason: `The bot token was revoked: ${REINSTALL}` },
  token_expired: { permanent: true, reason: `The bot token expired: ${REINSTALL}` },
  no_permission: { permanent: true, reason: `The bot lacks a permission here: ${REINSTALL}` },
  missing_scope: {
    permanent: true,
    reason: `The Slack app lacks a permission from slack/manifest.yml: update the app's scopes and ${REINSTALL}`,
  },
  team_access_not_granted: {
    permanent: true,
    reason: `The bot has no access to this workspace: ${REINSTALL}`,
  },
  user_not_found: { permanent: true, reason: 'Slack cannot find that member (removed from the workspace?)' },
  user_disabled: { permanent: true, reason: 'That member is deactivated in Slack' },
  cannot_dm_bot: { permanent: true, reason: 'Slack does not allow direct messages to a bot user' },
  message_not_found: {
    permanent: true,
    reason: 'The drill message was deleted in Slack, so it can no longer be updated',
  },
  cant_update_message: { permanent: true, reason: 'Slack does not let the bot edit that message' },
  edit_window_closed: { permanent: true, reason: 'Slack no longer allows editing that message' },
  invalid_blocks: {
    permanent: true,
    reason: 'Slack refused the message layout (invalid_blocks): a bug in roadmap-bot, please report it',
  },
  msg_blocks_too_long: {
    permanent: true,
    reason: 'Slack refused the message as too long: a bug in roadmap-bot, please report it',
  },
  msg_too_long: {
    permanent: true,
    reason: 'Slack refused the message as too long: a bug in roadmap-bot, please report it',
  },
  ratelimited: { permanent: false, reason: 'Slack is rate limiting the bot; it will try again' },
  rate_limited: { permanent: false, reason: 'Slack is rate limiting the bot; it will try again' },
  message_limit_exceeded: { permanent: false, reason: 'Slack is rate limiting the bot; it will try again' },
  internal_error: { permanent: false, reason: 'Slack had an internal error; it will try again' },
  fatal_error: { permanent: false, reason: 'Slack had an internal error; it will try again' },
  service_unavailable: { permanent: false, reason: 'Slack is unavailable; it will try again' },
  request_timeout: { permanent: false, reason: 'Slack timed out; it will try again' },
};

/** The app is not (or no longer) installed in a workspace: nothing to post with until someone reinstalls it. */
export function notInstalledError(workspaceId: string): PublishError {
  return new PublishError(
    'not_installed',
    `The Slack app is not installed in workspace ${workspaceId}: ${REINSTALL}`,
    { permanent: true },
  );
}

/** Turns whatever the WebClient threw into a PublishError (already one: unchanged). */
export function toPublishError(err: unknown): PublishError {
  if (err instanceof PublishError) return err;
  const e = err as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; retryAfter?: unknown };
  if (e?.code === ErrorCode.PlatformError && typeof e.data?.error === 'string') {
    const code = e.data.error;
    const known = KNOWN[code];
    if (known) return new PublishError(code, known.reason, { permanent: known.permanent, cause: err });
    return new PublishError(code, `Slack answered "${code}"; it will try again`, {
      permanent: false,
      cause: err,
    });
  }
  if (e?.code === ErrorCode.RateLimitedError)
    return new PublishError('ratelimited', KNOWN.ratelimited!.reason, {
      permanent: false,
      cause: err,
      ...(typeof e.retryAfter === 'number' ? { retryAfterMs: e.retryAfter * 1000 } : {}),
    });
  if (e?.code === ErrorCode.HTTPError)
    return new PublishError(
      `http_${String(e.statusCode)}`,
      'Slack answered with an HTTP error; it will try again',
      {
        permanent: false,
        cause: err,
      },
    );
  if (e?.code === ErrorCode.RequestError)
    return new PublishError('network', 'Slack could not be reached; it will try again', {
      permanent: false,
      cause: err,
    });
  return new PublishError('unknown', 'Posting to Slack failed unexpectedly; it will try again', {
    permanent: false,
    cause: err,
  });
}
