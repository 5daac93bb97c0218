import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { createLogger, secretValues } from '../src/config/logger.ts';

describe('logging', () => {
  it('never writes tokens, secrets, keys or database passwords', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger(
      { env: 'production', log: { level: 'info', format: 'json' } },
      { destination: sink },
    );
    const secrets = [
      'xoxb-123-secret',
      'xapp-1-A1-secret',
      'signing-5ecret',
      'Bot discord.secret',
      'k3y-material',
      'pa55word',
      'postgres://u:pw@h/db',
    ];
    log.info(
      {
        slack: { botToken: secrets[0], appToken: secrets[1], signingSecret: secrets[2] },
        discord: { token: secrets[3] },
        crypto: { encryptionKey: secrets[4] },
        db: { password: secrets[5] },
        database: { url: secrets[6] },
        headers: { authorization: `Bearer ${secrets[0]}` },
      },
      'configured',
    );
    log.child({ platform: 'slack' }).warn({ token: secrets[0] }, 'child line');
    const out = lines.join('');
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).toContain('[redacted]');
    expect(lines).toHaveLength(2);
  });
});

describe('logging a failed call on an interaction token', () => {
  it('writes the route but not the token, which lets anyone answer as the app for 15 minutes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger(
      { env: 'production', log: { level: 'info', format: 'json' } },
      { destination: sink },
    );
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmZha2UtdG9rZW4';
    const api = 'https://discord.com/api/v10';
    const edit = new DiscordAPIError(
      { code: 10015, message: 'Unknown Webhook' },
      10015,
      404,
      'PATCH',
      `${api}/webhooks/111111111111111111/${token}/messages/@original`,
      { body: { content: 'x' } },
    );
    const callback = new DiscordAPIError(
      { code: 40060, message: 'Interaction has already been acknowledged.' },
      40060,
      400,
      'POST',
      `${api}/interactions/222222222222222222/${token}/callback`,
      { body: { type: 4 } },
    );
    log.error({ err: edit, requestId: '1' }, 'discord interaction failed');
    log.child({ platform: 'discord' }).warn({ err: callback }, `failed: ${callback.url}`);
    const out = lines.join('');
    expect(out).not.toContain(token);
    expect(out).toContain('/webhooks/111111111111111111/[redacted]/messages/@original');
    expect(out).toContain('/interactions/222222222222222222/[redacted]/callback');
  });
});

describe('logging with a real configuration', () => {
  const capture = (config: Parameters<typeof createLogger>[0]) => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    return { lines, log: createLogger(config, { destination: sink }) };
  };

  const SINGLE = {
    NODE_ENV: 'production',
    LOG_FORMAT: 'json',
    DATABASE_URL: 'postgres://bot:Pa55w0rd%21long@db.internal:5432/roadmap',
    SLACK_BOT_TOKEN: 'xoxb-1111-2222-bottokenvalue',
    SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
    SLACK_APP_TOKEN: 'xapp-1-A111-333-apptokenvalue',
    DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.discord-token-value',
    DISCORD_APPLICATION_ID: '123456789012345678',
  };
  const OAUTH = {
    NODE_ENV: 'production',
    LOG_FORMAT: 'json',
    SLACK_SIGNING_SECRET: 'oauth-signing-secret-value',
    SLACK_CLIENT_ID: '111.222',
    SLACK_CLIENT_SECRET: 'client-secret-value-123',
    SLACK_STATE_SECRET: 'state-secret-value-0123456789',
    TOKEN_ENCRYPTION_KEY: 'a1'.repeat(32),
  };
  const secretsIn = (env: Record<string, string>) =>
    Object.entries(env)
      .filter(([k]) => /TOKEN|SECRET|KEY/.test(k) && k !== 'SLACK_CLIENT_ID')
      .map(([, v]) => v)
      .concat(env.DATABASE_URL ? [env.DATABASE_URL, 'Pa55w0rd%21long', 'Pa55w0rd!long'] : []);

  it.each([
    ['one workspace, Socket Mode, Discord and PostgreSQL', SINGLE],
    ['Slack OAuth installs', OAUTH],
  ])('a line carrying the whole config contains none of its secrets (%s)', (_name, env) => {
    const config = loadConfig(env);
    const { lines, log } = capture(config);
    // Secrets reach a line in three ways: as the config object, nested under a module's bindings, and
    // inside free text (an SDK error that echoes what it was given).
    log.info({ config }, 'configured');
    log.child({ module: 'slack' }).info({ slack: config.slack, discord: config.discord }, 'platforms');
    log.error({ err: new Error(`auth failed for ${secretsIn(env).join(' and ')}`) }, 'platform call failed');
    const out = lines.join('');
    const secrets = secretsIn(env);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(out).not.toContain(secret);
    // The OAuth encryption key is a Buffer in the config: only its path can hide its bytes.
    expect(out).not.toContain('"type":"Buffer"');
    expect(lines).toHaveLength(3);
    // Still useful: what is not secret stays readable.
    expect(out).toContain('"env":"production"');
  });

  it('lists the config secrets it scrubs from free text, longest first', () => {
    const values = secretValues(loadConfig(SINGLE));
    expect(values).toContain('xoxb-1111-2222-bottokenvalue');
    expect(values).toContain('Pa55w0rd!long');
    expect(values.map((v) => v.length)).toEqual([...values.map((v) => v.length)].sort((a, b) => b - a));
  });
});
