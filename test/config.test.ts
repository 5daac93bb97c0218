import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('runs with no environment at all: terminal chat on embedded PGlite', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: path.resolve('data') });
    expect(c.contentDir).toBe(path.resolve('content'));
    expect(c.defaultTrack).toBe('backend');
    expect(c.log).toEqual({ level: undefined, format: 'auto' });
    expect(c.defaultTimezone).toBeTruthy();
  });

  it('uses PostgreSQL when DATABASE_URL is set, and never prints its password', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://bot:s3cret@db.internal:5432/roadmap',
      DATABASE_POOL_MAX: '4',
    });
    expect(c.database).toEqual({
      kind: 'postgres',
      url: 'postgres://bot:s3cret@db.internal:5432/roadmap',
      poolMax: 4,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 30000,
      idleInTransactionTimeoutMs: 60000,
    });
    expect(describeDatabase(c)).toBe('PostgreSQL at db.internal:5432/roadmap');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', LOG_LEVEL: ' ' }).database.kind).toBe('pglite');
  });

  it('names every problem and its fix in one error', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        DATABASE_POOL_MAX: '0',
        DEFAULT_TIMEZONE: 'Mars/Olympus',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(4);
    expect(error!.message).toContain(
      'DATABASE_URL: must be a postgres:// URL (e.g. postgres://user:password@localhost:5432/roadmap',
    );
    expect(error!.message).toContain('LOG_LEVEL:');
    expect(error!.message).toContain('DATABASE_POOL_MAX:');
    expect(error!.message).toContain(
      'DEFAULT_TIMEZONE: must be an IANA time zone (an IANA name such as Europe/Berlin',
    );
    expect(error!.message).toContain('See .env.example');
  });

  it('.env.example lists every variable the schema reads', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(path.resolve(import.meta.dirname, '../.env.example'), 'utf8');
    const readme = readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
    const source = readFileSync(path.resolve(import.meta.dirname, '../src/config.ts'), 'utf8');
    const names = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+): z/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(readme, `README's configuration table lacks ${name}`).toMatch(
        new RegExp(`^\\| \`${name}\` +\\|`, 'm'),
      );
    }
  });
});
