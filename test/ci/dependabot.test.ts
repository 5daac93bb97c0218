// .github/dependabot.yml: no npm package ships Dependabot's schema without downloading it at run time, so the
// options this file uses are checked against a strict schema written from GitHub's options reference, and the
// grouping is checked against package.json with Dependabot's rule that a dependency joins the first group that
// matches it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const updateType = z.enum(['major', 'minor', 'patch']);
const group = z
  .object({
    patterns: z.array(z.string().min(1)).min(1).optional(),
    'exclude-patterns': z.array(z.string().min(1)).optional(),
    'dependency-type': z.enum(['development', 'production']).optional(),
    'update-types': z.array(updateType).min(1).optional(),
    'applies-to': z.enum(['version-updates', 'security-updates']).optional(),
  })
  .strict();
const update = z
  .object({
    'package-ecosystem': z.enum([
      'bundler',
      'cargo',
      'composer',
      'docker',
      'docker-compose',
      'github-actions',
      'gomod',
      'maven',
      'npm',
      'pip',
      'terraform',
    ]),
    directory: z.string().startsWith('/'),
    schedule: z
      .object({
        interval: z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly']),
        day: z
          .enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])
          .optional(),
        time: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
          .optional(),
        timezone: z.string().optional(),
      })
      .strict(),
    'open-pull-requests-limit': z.number().int().min(0).optional(),
    labels: z.array(z.string()).optional(),
    'commit-message': z
      .object({
        prefix: z.string().max(50).optional(),
        'prefix-development': z.string().max(50).optional(),
        include: z.literal('scope').optional(),
      })
      .strict()
      .optional(),
    groups: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), group).optional(),
  })
  .strict();
const dependabotSchema = z.object({ version: z.literal(2), updates: z.array(update).min(1) }).strict();
type Dependabot = z.infer<typeof dependabotSchema>;

/** Dependabot's patterns: `*` matches any run of characters, everything else literally. */
const matches = (pattern: string, name: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\/@-]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

/** The group a dependency's update of a kind lands in (first match wins), or undefined for its own PR. */
function groupOf(config: Dependabot, name: string, kind: z.infer<typeof updateType>): string | undefined {
  const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')!;
  return Object.entries(npm.groups ?? {}).find(
    ([, g]) =>
      (g.patterns ?? []).some((p) => matches(p, name)) &&
      !(g['exclude-patterns'] ?? []).some((p) => matches(p, name)) &&
      (!g['update-types'] || g['update-types'].includes(kind)),
  )?.[0];
}

describe('.github/dependabot.yml', () => {
  const source = read('.github/dependabot.yml');
  const config = dependabotSchema.parse(parseYaml(source));
  const pkg = JSON.parse(read('package.json'));
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });

  it('uses only documented options with valid values, and rejects a broken copy', () => {
    expect(dependabotSchema.safeParse(parseYaml(source)).success).toBe(true);
    type Editable = {
      version: number;
      updates: { schedule: Record<string, unknown>; groups: Record<string, Record<string, unknown>> }[];
    };
    const broken = (edit: (c: Editable) => void) => {
      const copy = parseYaml(source) as Editable;
      edit(copy);
      return dependabotSchema.safeParse(parseYaml(stringify(copy))).success;
    };
    expect(broken((c) => (c.updates[0]!.schedule.interval = 'fortnightly'))).toBe(false);
    expect(broken((c) => (c.updates[0]!.groups.slack!.paterns = ['@slack/*']))).toBe(false);
    expect(
      broken((c) => (c.updates[0]!.groups['minor-and-patch']!['update-types'] = ['minor', 'tiny'])),
    ).toBe(false);
    expect(broken((c) => (c.version = 1))).toBe(false);
  });

  it('updates the npm dependencies and the workflow actions', () => {
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  });

  it('gives each SDK its own group, for every kind of update', () => {
    const sdks: Record<string, string> = {
      '@slack/bolt': 'slack',
      '@slack/web-api': 'slack',
      'discord.js': 'discord',
      '@discordjs/rest': 'discord',
      kysely: 'kysely',
      'ts-fsrs': 'ts-fsrs',
    };
    for (const [name, expected] of Object.entries(sdks))
      for (const kind of ['major', 'minor', 'patch'] as const)
        expect(groupOf(config, name, kind)).toBe(expected);
    // The SDKs the project depends on today are all covered.
    for (const name of ['@slack/bolt', 'discord.js', 'kysely']) expect(deps).toContain(name);
  });

  it('groups the minor and patch updates of every other dependency; their majors come alone', () => {
    const sdkGroups = new Set(['slack', 'discord', 'kysely', 'ts-fsrs']);
    const others = deps.filter((d) => !sdkGroups.has(groupOf(config, d, 'major') ?? ''));
    expect(others.length).toBeGreaterThan(5);
    for (const name of others) {
      expect(groupOf(config, name, 'minor')).toBe('minor-and-patch');
      expect(groupOf(config, name, 'patch')).toBe('minor-and-patch');
      expect(groupOf(config, name, 'major')).toBeUndefined();
    }
  });
});
