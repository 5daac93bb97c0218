/** Discord's settings: the bot token, how interactions arrive (gateway or the Interactions Endpoint), and test seams. */

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId: string | undefined;
  managerRole: string | undefined;
  apiUrl: string | undefined;
  /**
   * The application's Ed25519 public key (32 bytes as 64 hex characters). Set, it selects HTTP mode:
   * interactions arrive signed at POST /discord/interactions and everything is sent over REST, with no
   * gateway session. Unset, a discord.js gateway client receives them.
   */
  publicKey: string | undefined;
}

/** The DISCORD_* variables as the schema parsed them. */
export interface DiscordEnv {
  DISCORD_TOKEN?: string | undefined;
  DISCORD_APPLICATION_ID?: string | undefined;
  DISCORD_GUILD_ID?: string | undefined;
  DISCORD_MANAGER_ROLE?: string | undefined;
  DISCORD_API_URL?: string | undefined;
  DISCORD_PUBLIC_KEY?: string | undefined;
}

/** A bot token's first segment is the bot's user id in base64, which equals the application id. */
function applicationIdFromToken(token: string): string | undefined {
  const first = token.split('.')[0] ?? '';
  const id = Buffer.from(first, 'base64').toString('utf8');
  return /^\d{15,22}$/.test(id) ? id : undefined;
}

/** Discord's config, or undefined when DISCORD_TOKEN is unset; what is wrong goes into `problems`. */
export function discordConfig(
  e: DiscordEnv,
  problems: string[],
  fixes: Record<string, string>,
): DiscordConfig | undefined {
  if (!e.DISCORD_TOKEN) {
    // REST (posting drills, editing deferred answers) needs the token in HTTP mode too.
    if (e.DISCORD_GUILD_ID || e.DISCORD_APPLICATION_ID || e.DISCORD_PUBLIC_KEY)
      problems.push(`DISCORD_TOKEN: required to use Discord (${fixes.DISCORD_TOKEN})`);
    return undefined;
  }
  const applicationId = e.DISCORD_APPLICATION_ID ?? applicationIdFromToken(e.DISCORD_TOKEN);
  if (!applicationId) {
    problems.push(
      `DISCORD_APPLICATION_ID: could not be read from the token (${fixes.DISCORD_APPLICATION_ID})`,
    );
    return undefined;
  }
  return {
    token: e.DISCORD_TOKEN,
    applicationId,
    guildId: e.DISCORD_GUILD_ID,
    managerRole: e.DISCORD_MANAGER_ROLE,
    apiUrl: e.DISCORD_API_URL,
    publicKey: e.DISCORD_PUBLIC_KEY?.toLowerCase(),
  };
}
