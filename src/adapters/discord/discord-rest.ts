/** discord.js's REST manager with an undici agent of its own, for the gateway client and for HTTP mode alike. */
import { createRequire } from 'node:module';
import { REST, type RESTOptions } from 'discord.js';
import type { DiscordConfig } from '../../config/discord.ts';

type RestAgent = NonNullable<RESTOptions['agent']> & { close(): Promise<void> };

/**
 * An agent of the undici copy @discordjs/rest itself loads. Without one, REST uses the process-wide dispatcher,
 * and in the service Bolt (through @slack/socket-mode) has installed another undici's agent there, which
 * refuses @discordjs/rest's multipart bodies: every file upload to Discord failed.
 */
function discordRestAgent(): RestAgent {
  const fromDiscordJs = createRequire(createRequire(import.meta.url).resolve('discord.js'));
  const fromRest = createRequire(fromDiscordJs.resolve('@discordjs/rest'));
  const { Agent } = fromRest('undici') as { Agent: new () => RestAgent };
  return new Agent();
}

/** REST's options: our own undici agent, and the test seam pointing REST elsewhere. */
export function restOptions(
  config: Pick<DiscordConfig, 'apiUrl'>,
): Partial<RESTOptions> & { agent: RestAgent } {
  return { agent: discordRestAgent(), ...(config.apiUrl ? { api: config.apiUrl } : {}) };
}

/** A REST manager without a gateway client (HTTP mode), with the bot token set; `close` frees its agent. */
export function createDiscordRest(config: Pick<DiscordConfig, 'apiUrl' | 'token'>) {
  const options = restOptions(config);
  const rest = new REST(options).setToken(config.token);
  return { rest, close: () => options.agent.close() };
}
