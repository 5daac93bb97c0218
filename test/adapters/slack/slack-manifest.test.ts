import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { BOT_SCOPES, REDIRECT_PATH } from '../../../src/adapters/slack/slack-app.ts';
import { EVENTS_PATH } from '../../../src/adapters/slack/slack-receiver.ts';

const manifest = parse(
  readFileSync(path.resolve(import.meta.dirname, '../../../slack/manifest.yml'), 'utf8'),
);

/** Slack's own manifest schema (major version 1), vendored with its source in test/fixtures/slack/README.md. */
const slackSchema = z.fromJSONSchema(
  JSON.parse(
    readFileSync(
      path.resolve(import.meta.dirname, '../../fixtures/slack/manifest.schema.1.0.0.json'),
      'utf8',
    ),
  ),
);

describe('slack/manifest.yml', () => {
  it("validates against Slack's app manifest schema", () => {
    expect(manifest._metadata.major_version).toBe(1);
    const result = slackSchema.safeParse(manifest);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('refuses what Slack would refuse (the schema is really applied)', () => {
    const broken = structuredClone(manifest);
    broken.features.app_home.home_tab = true; // not a manifest field: home_tab_enabled is
    const result = slackSchema.safeParse(broken);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['features.app_home']);
    const long = structuredClone(manifest);
    long.display_information.name = 'x'.repeat(36);
    expect(slackSchema.safeParse(long).success).toBe(false);
  });

  it('turns the Home tab on and subscribes to the events the onboarding and the Home need', () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['member_joined_channel', 'app_home_opened']),
    );
  });

  it('asks for exactly the bot scopes the OAuth installer requests, and no user scopes', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('sends commands, clicks and events to the adapter’s paths, with escaped mentions', () => {
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe('/roadmap');
    expect(command.should_escape).toBe(true);
    for (const url of [
      command.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ])
      expect(new URL(url).pathname).toBe(EVENTS_PATH);
    expect(new URL(manifest.oauth_config.redirect_urls[0]).pathname).toBe(REDIRECT_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'app_uninstalled',
      'tokens_revoked',
      'member_joined_channel',
      'app_home_opened',
    ]);
  });

  it('stays within the manifest limits (name ≤35, command ≤32, description ≤140)', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.slash_commands[0].command.length).toBeLessThanOrEqual(32);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
  });
});
