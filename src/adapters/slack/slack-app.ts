/**
 * Building the Bolt app for the configured mode: Socket Mode with one bot token, or HTTP with our receiver
 * in front (and Bolt's OAuth installer when workspaces install the app themselves).
 */
import { App, HTTPReceiver, type Logger } from '@slack/bolt';
import type { SlackConfig } from '../../config/config.ts';
import type { SlackInstallationStore } from './installation-store.ts';
import { EVENTS_PATH } from './slack-receiver.ts';

const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Bot scopes, least privilege; slack/manifest.yml lists the same with the reason for each, and a test
 * keeps them equal. No chat:write.public: the bot posts only where it was invited.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'files:write',
  'files:read',
  'users:read',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
] as const;

export interface SlackApp {
  app: App;
  /** Set in HTTP mode: the shared HTTP server hands it Slack's requests. */
  receiver: HTTPReceiver | undefined;
}

export function createSlackApp(
  config: SlackConfig,
  installations: SlackInstallationStore | undefined,
  logger: Logger,
): SlackApp {
  const clientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  if (config.mode === 'socket') {
    if (config.auth.kind !== 'single' || !config.appToken)
      throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN');
    const app = new App({
      socketMode: true,
      appToken: config.appToken,
      token: config.auth.botToken,
      logger,
      clientOptions,
      convoStore: false,
      deferInitialization: true,
    });
    return { app, receiver: undefined };
  }
  if (!config.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
  const oauth =
    config.auth.kind === 'oauth'
      ? {
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          stateSecret: config.auth.stateSecret,
          installationStore: installations!,
          scopes: [...BOT_SCOPES],
          installerOptions: {
            installPath: INSTALL_PATH,
            redirectUriPath: REDIRECT_PATH,
            // /slack/install goes straight to Slack's consent page instead of an "Add to Slack" page.
            directInstall: true,
            clientOptions,
          },
        }
      : {};
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret,
    // Verified in front of Bolt with our clock and a symmetric ±5 min window (see slack-verify.ts).
    signatureVerification: false,
    endpoints: EVENTS_PATH,
    processBeforeResponse: false,
    logger,
    ...oauth,
  });
  const app = new App({
    receiver,
    ...(config.auth.kind === 'single' ? { token: config.auth.botToken } : {}),
    logger,
    clientOptions,
    // Bolt's conversation store is unused here, and its lookup builds an Error for every request it misses.
    convoStore: false,
    deferInitialization: true,
  });
  return { app, receiver };
}
