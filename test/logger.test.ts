import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

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
