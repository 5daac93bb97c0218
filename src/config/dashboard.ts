/** The web dashboard's settings: where it is served, the session secret, and the two sign-in providers. */
import { z } from 'zod';

/** DASHBOARD_* variables, part of config.ts's schema (config.ts stays the one reader of the environment). */
export const dashboardEnv = {
  DASHBOARD_URL: z
    .url()
    .regex(/^https?:\/\/[^/?#]+\/?$/, 'must be an origin without a path, e.g. https://roadmap.example.com')
    .optional(),
  DASHBOARD_SESSION_SECRET: z.string().min(32).optional(),
  DASHBOARD_SESSION_HOURS: z.coerce.number().min(0.1).max(168).default(8),
  DASHBOARD_SLACK_CLIENT_ID: z.string().min(1).optional(),
  DASHBOARD_SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  DASHBOARD_DISCORD_CLIENT_ID: z
    .string()
    .regex(/^\d{15,22}$/)
    .optional(),
  DASHBOARD_DISCORD_CLIENT_SECRET: z.string().min(1).optional(),
  DASHBOARD_SLACK_BASE_URL: z.url().default('https://slack.com'),
  DASHBOARD_DISCORD_BASE_URL: z.url().default('https://discord.com'),
};

export const DASHBOARD_FIXES: Record<string, string> = {
  DASHBOARD_URL: 'the public origin the dashboard is reached at, e.g. https://roadmap.example.com',
  DASHBOARD_SESSION_SECRET: 'at least 32 random characters, e.g. `openssl rand -hex 32`',
  DASHBOARD_SESSION_HOURS: 'hours a dashboard sign-in lasts, 0.1 to 168',
  DASHBOARD_SLACK_CLIENT_ID: "the Slack app's Client ID (default: SLACK_CLIENT_ID)",
  DASHBOARD_SLACK_CLIENT_SECRET: "the Slack app's Client Secret (default: SLACK_CLIENT_SECRET)",
  DASHBOARD_DISCORD_CLIENT_ID: "the Discord application's id (default: the bot's application id)",
  DASHBOARD_DISCORD_CLIENT_SECRET: 'the Client Secret from the Developer Portal, OAuth2 page',
  DASHBOARD_SLACK_BASE_URL: 'leave unset in production; http://127.0.0.1:9002 for tests',
  DASHBOARD_DISCORD_BASE_URL: 'leave unset in production; http://127.0.0.1:9003 for tests',
};

interface Provider {
  clientId: string;
  clientSecret: string;
  /** Where the provider's pages and API live (https://slack.com, https://discord.com); a loopback fake in tests. */
  baseUrl: string;
}

export interface DashboardConfig {
  /** The public origin; the dashboard lives under `${publicUrl}/dashboard`. */
  publicUrl: string;
  sessionSecret: string;
  sessionMs: number;
  slack: Provider | undefined;
  discord: Provider | undefined;
}

type DashboardEnv = z.infer<z.ZodObject<typeof dashboardEnv>> & {
  SLACK_CLIENT_ID?: string | undefined;
  SLACK_CLIENT_SECRET?: string | undefined;
};

/** The dashboard's configuration, or undefined when DASHBOARD_URL is unset (the service serves no dashboard). */
export function dashboardConfig(
  e: DashboardEnv,
  discordApplicationId: string | undefined,
  problems: string[],
): DashboardConfig | undefined {
  if (!e.DASHBOARD_URL) return undefined;
  // Sessions ride in Secure cookies, which browsers keep only over https (and on this machine).
  const { protocol, hostname } = new URL(e.DASHBOARD_URL);
  if (protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname))
    problems.push(
      'DASHBOARD_URL: must be https:// (sessions use Secure cookies), except on 127.0.0.1 or localhost',
    );
  if (!e.DASHBOARD_SESSION_SECRET)
    problems.push(
      `DASHBOARD_SESSION_SECRET: required with DASHBOARD_URL (${DASHBOARD_FIXES.DASHBOARD_SESSION_SECRET})`,
    );
  const slackId = e.DASHBOARD_SLACK_CLIENT_ID ?? e.SLACK_CLIENT_ID;
  const slackSecret = e.DASHBOARD_SLACK_CLIENT_SECRET ?? e.SLACK_CLIENT_SECRET;
  const discordId = e.DASHBOARD_DISCORD_CLIENT_ID ?? discordApplicationId;
  const discordSecret = e.DASHBOARD_DISCORD_CLIENT_SECRET;
  const slack =
    slackId && slackSecret ? provider(slackId, slackSecret, e.DASHBOARD_SLACK_BASE_URL) : undefined;
  const discord =
    discordId && discordSecret ? provider(discordId, discordSecret, e.DASHBOARD_DISCORD_BASE_URL) : undefined;
  if (!slack && !discord)
    problems.push(
      'DASHBOARD_URL: the dashboard needs a sign-in: set DASHBOARD_SLACK_CLIENT_ID/SECRET or DASHBOARD_DISCORD_CLIENT_SECRET',
    );
  if (!e.DASHBOARD_SESSION_SECRET || (!slack && !discord)) return undefined;
  return {
    publicUrl: e.DASHBOARD_URL.replace(/\/$/, ''),
    sessionSecret: e.DASHBOARD_SESSION_SECRET,
    sessionMs: Math.round(e.DASHBOARD_SESSION_HOURS * 3_600_000),
    slack,
    discord,
  };
}

const provider = (clientId: string, clientSecret: string, baseUrl: string): Provider => ({
  clientId,
  clientSecret,
  baseUrl: baseUrl.replace(/\/$/, ''),
});
