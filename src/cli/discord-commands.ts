/** `npm run discord:commands` registers /roadmap and /roadmap-manage (globally, or to DISCORD_GUILD_ID) and prints the invite URL; `-- --print` shows the JSON only. */

import { applicationCommands, MANAGE_COMMAND_NAME } from '../adapters/discord/discord-commands.ts';
import {
  BOT_PERMISSIONS,
  inviteUrl,
  NOT_REQUESTED,
  registerCommands,
} from '../adapters/discord/discord-registration.ts';
import { commandEntries } from '../bot/catalog.ts';
import { ConfigError, loadConfig } from '../config/config.ts';

async function run(): Promise<void> {
  const entries = commandEntries();
  if (process.argv.includes('--print')) {
    console.log(JSON.stringify(applicationCommands(entries), null, 2));
    return;
  }
  const config = loadConfig(process.env);
  const discord = config.discord;
  if (!discord) {
    console.error(
      'DISCORD_TOKEN is not set: copy the bot token from the Developer Portal (Bot page) into .env first.',
    );
    process.exitCode = 2;
    return;
  }
  const done = await registerCommands(discord, entries);
  const registered = done.commands.map((c) => `/${c.name} (${c.options.join(', ')})`).join(' and ');
  console.log(
    done.scope === 'guild'
      ? `Registered ${registered} in server ${discord.guildId}; guild commands update instantly.`
      : `Registered ${registered} globally, for every server that adds the bot. While developing, set DISCORD_GUILD_ID for instant updates.`,
  );
  console.log(
    `/${MANAGE_COMMAND_NAME} shows to members with Manage Server. To let the manager role or granted managers see it, allow them in Server Settings → Integrations → roadmap-bot.`,
  );
  console.log(`\nInvite the bot with:\n  ${inviteUrl(discord.applicationId)}\n\nIt asks for:`);
  for (const p of BOT_PERMISSIONS) console.log(`  - ${p.name}: ${p.why}`);
  console.log('Not requested:');
  for (const line of NOT_REQUESTED) console.log(`  - ${line}`);
}

run().catch((err) => {
  console.error(
    err instanceof ConfigError
      ? err.message
      : `registering Discord commands failed: ${(err as Error).message}`,
  );
  process.exitCode = 1;
});
