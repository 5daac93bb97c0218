// No container engine runs in CI, so the deploy files are parsed and checked against the code they start.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig, serviceDatabaseProblem } from '../../src/config/config.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const defaults = loadConfig({});
const shutdownSeconds = defaults.shutdownTimeoutMs / 1000;

interface Instruction {
  op: string;
  args: string;
  /** The JSON array of an exec-form CMD/ENTRYPOINT/HEALTHCHECK CMD, if that is the form used. */
  exec?: string[];
}
interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Enough of the Dockerfile grammar for these checks: comments, line continuations, ARG defaults, stages. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
      continue;
    }
    if (upper === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      const base = image.replace(/\$\{(\w+)\}/g, (_, v: string) => args.get(v) ?? '');
      stages.push({ base, name, instructions: [] });
      continue;
    }
    const jsonPart = /(\[.*\])\s*$/.exec(rest)?.[1];
    let exec: string[] | undefined;
    if (jsonPart && (upper === 'CMD' || upper === 'ENTRYPOINT' || upper === 'HEALTHCHECK'))
      exec = JSON.parse(jsonPart) as string[];
    stages.at(-1)?.instructions.push({ op: upper, args: rest, ...(exec ? { exec } : {}) });
  }
  return { args, stages };
}

function dockerignored(): string[] {
  return read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
}

describe('Dockerfile', () => {
  const { stages } = parseDockerfile(read('Dockerfile'));
  const final = stages.at(-1)!;
  const ops = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op);

  it('builds in stages on Node 24 LTS slim and installs from the lockfile', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.base).toBe('node:24-slim');
    const runs = stages.flatMap((s) => ops(s, 'RUN').map((i) => i.args));
    expect(runs.some((r) => /\bnpm install\b/.test(r))).toBe(false);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it('ships compiled JavaScript, production dependencies and content, nothing built with dev tools', () => {
    const copies = ops(final, 'COPY').map((i) => i.args);
    const build = stages.find((s) => ops(s, 'RUN').some((i) => /npm run build/.test(i.args)))!;
    const deps = stages.find((s) => ops(s, 'RUN').some((i) => /--omit=dev/.test(i.args)))!;
    expect(copies).toContain(`--from=${build.name} /app/dist ./dist`);
    expect(copies).toContain(`--from=${deps.name} /app/node_modules ./node_modules`);
    expect(copies).toContain('content ./content');
    expect(copies).toContain('assets ./assets'); // the charts' font
    expect(copies.some((c) => /^src\b|\bsrc \.\/src/.test(c))).toBe(false);
    expect(ops(final, 'RUN').some((i) => /npm (ci|install)/.test(i.args))).toBe(false);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = dockerignored();
    const sources = stages
      .flatMap((s) => ops(s, 'COPY'))
      .filter((i) => !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources).toContain('package-lock.json');
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
  });

  it('runs as a non-root user, with a health check through Node, on the configured port', () => {
    const user = ops(final, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const health = ops(final, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]!.exec?.[0]).toBe('node');
    expect(health[0]!.exec?.join(' ')).toContain('/healthz');
    expect(ops(final, 'EXPOSE').map((i) => i.args)).toEqual([String(defaults.http.port)]);
    const env = ops(final, 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toContain(`PORT=${defaults.http.port}`);
    expect(env).toContain('NODE_ENV=production');
  });

  it('starts the compiled service with node as PID 1 (exec form, no shell or npm in between)', () => {
    const cmd = ops(final, 'CMD').at(-1);
    expect(cmd?.exec).toEqual(['node', 'dist/src/service.js']);
    expect(ops(final, 'ENTRYPOINT')).toEqual([]);
    expect(existsSync(path.join(ROOT, 'src/service.ts'))).toBe(true);
    expect(ops(final, 'STOPSIGNAL').map((i) => i.args)).toEqual(['SIGTERM']);
  });

  it('.dockerignore keeps secrets, dependencies and build output out of the context', () => {
    expect(dockerignored()).toEqual(expect.arrayContaining(['.env', 'node_modules', 'dist', '.git', 'data']));
  });
});

describe('docker-compose.yml', () => {
  // biome-ignore lint/suspicious/noExplicitAny: a parsed compose file is checked field by field
  const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as any;
  const services = compose.services;
  const expand = (value: string) => value.replace(/\$\{(\w+):-([^}]*)\}/g, (_, _name, fallback) => fallback);

  it('runs PostgreSQL with a volume and a health check', () => {
    const pg = services.postgres;
    expect(pg.image).toMatch(/^postgres:\d+/);
    expect(pg.volumes[0]).toMatch(/^pgdata:\/var\/lib\/postgresql\/data$/);
    expect(compose.volumes).toHaveProperty('pgdata');
    expect(pg.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  it('migrates once before the bot starts, and starts the bot only when the database is healthy', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/src/cli/migrate.js']);
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on.postgres.condition).toBe('service_healthy');
    expect(services.bot.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(existsSync(path.join(ROOT, 'src/cli/migrate.ts'))).toBe(true);
  });

  it("gives the bot a valid configuration pointing at the compose database, on the config's port", () => {
    const env = Object.fromEntries(
      Object.entries(services.bot.environment as Record<string, string>).map(([k, v]) => [
        k,
        expand(String(v)),
      ]),
    );
    const config = loadConfig(env);
    expect(config.env).toBe('production');
    expect(config.database.kind).toBe('postgres');
    const url = new URL(config.database.kind === 'postgres' ? config.database.url : '');
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(services.postgres.environment.POSTGRES_USER);
    expect(url.password).toBe(expand(services.postgres.environment.POSTGRES_PASSWORD));
    expect(url.pathname).toBe(`/${services.postgres.environment.POSTGRES_DB}`);
    expect(config.http.port).toBe(defaults.http.port);
    expect(services.bot.ports).toEqual([`${defaults.http.port}:${config.http.port}`]);
    expect(services.migrate.environment).toEqual(services.bot.environment);
  });

  it('checks /healthz and gives shutdown more time than SHUTDOWN_TIMEOUT_SECONDS', () => {
    expect(services.bot.healthcheck.test.join(' ')).toContain(`127.0.0.1:${defaults.http.port}/healthz`);
    const grace = Number(/^(\d+)s$/.exec(services.bot.stop_grace_period)?.[1]);
    expect(grace).toBeGreaterThan(Number(services.bot.environment.SHUTDOWN_TIMEOUT_SECONDS));
    expect(services.bot.stop_signal).toBe('SIGTERM');
  });
});

describe('fly.toml', () => {
  // biome-ignore lint/suspicious/noExplicitAny: a parsed fly.toml is checked field by field
  const fly = parseToml(read('fly.toml')) as any;

  it('names the app and region and builds from the Dockerfile', () => {
    expect(fly.app).toMatch(/^[a-z0-9-]+$/);
    expect(fly.primary_region).toMatch(/^[a-z]{3}$/);
    expect(fly.build.dockerfile).toBe('Dockerfile');
  });

  it('migrates in the release command, with the compiled migrator the image contains', () => {
    expect(fly.deploy.release_command).toBe('node dist/src/cli/migrate.js');
  });

  it('serves on the configured port, never auto-stops, and checks /healthz', () => {
    const config = loadConfig(fly.env);
    expect(config.env).toBe('production');
    expect(fly.http_service.internal_port).toBe(config.http.port);
    expect(config.http.port).toBe(defaults.http.port);
    expect(config.http.host).toBe('0.0.0.0');
    expect(fly.http_service.auto_stop_machines).toBe('off');
    expect(fly.http_service.min_machines_running).toBeGreaterThanOrEqual(1);
    expect(fly.http_service.checks.map((c: { path: string }) => c.path)).toEqual(['/healthz']);
    expect(fly.checks.ready).toMatchObject({ type: 'http', port: config.http.port, path: '/readyz' });
    expect(fly.metrics).toEqual({ port: config.http.port, path: '/metrics' });
  });

  it('needs PostgreSQL from a secret: without DATABASE_URL the machines and the release command refuse', () => {
    const text = read('fly.toml');
    expect(fly.env).not.toHaveProperty('DATABASE_URL');
    expect(fly.mounts).toBeUndefined();
    expect(serviceDatabaseProblem(loadConfig(fly.env))).toMatch(/^DATABASE_URL: required/);
    const withSecret = {
      ...fly.env,
      DATABASE_URL: 'postgres://roadmap:secret@roadmap-db.flycast:5432/roadmap',
    };
    expect(serviceDatabaseProblem(loadConfig(withSecret))).toBeUndefined();
    expect(text).toContain('fly postgres attach');
    expect(read('README.md')).toContain('fly postgres attach');
  });

  it('documents the embedded alternative: its lines give one volume-backed data directory the service accepts', () => {
    const text = read('fly.toml');
    const marked = text.split('\n').filter((line) => line.startsWith('#> '));
    expect(marked.length).toBeGreaterThanOrEqual(5);
    // biome-ignore lint/suspicious/noExplicitAny: a parsed fly.toml is checked field by field
    const embedded = parseToml(text.replace(/^#> /gm, '')) as any;
    const config = loadConfig(embedded.env);
    expect(config.database.kind).toBe('pglite');
    expect(serviceDatabaseProblem(config)).toBeUndefined();
    expect(embedded.mounts.destination).toBe(config.dataDir);
    expect(text).toContain(`fly volumes create ${embedded.mounts.source}`);
    expect(text).toMatch(/--ha=false|fly scale count 1/);
  });

  it('stops with SIGTERM and waits longer than our shutdown timeout before killing', () => {
    const config = loadConfig(fly.env);
    expect(fly.kill_signal).toBe('SIGTERM');
    // The runtime's hard limit is the shutdown timeout plus one second for the last log lines.
    expect(fly.kill_timeout).toBeGreaterThan(config.shutdownTimeoutMs / 1000 + 1);
    expect(fly.kill_timeout).toBeLessThanOrEqual(300);
    expect(shutdownSeconds).toBeLessThan(fly.kill_timeout);
  });
});

describe('a first run on an older Node', () => {
  const require = createRequire(import.meta.url);
  const preflight = require('../../scripts/check-node.cjs') as {
    problem(version: string): string | undefined;
    MINIMUM: string;
  };
  const pkg = JSON.parse(read('package.json')) as {
    engines: { node: string };
    scripts: Record<string, string>;
  };
  const tryCommand = 'docker compose run --rm --build terminal';

  it('ships .nvmrc and .node-version naming the Node the image runs, which package.json engines accept', () => {
    const nvmrc = read('.nvmrc').trim();
    expect(read('.node-version').trim()).toBe(nvmrc);
    expect(pkg.engines.node).toBe(`>=${preflight.MINIMUM}`);
    expect(preflight.problem(`v${nvmrc}.0.0`)).toBeUndefined();
    const { stages } = parseDockerfile(read('Dockerfile'));
    expect(stages[0]!.base).toBe(`node:${nvmrc}-slim`);
  });

  it('npm start and npm test first check the Node version and say in one line what to do', () => {
    expect(pkg.scripts.prestart).toBe('node scripts/check-node.cjs');
    expect(pkg.scripts.pretest).toBe('node scripts/check-node.cjs');
    for (const old of ['v20.11.1', 'v22.17.9', '18.19.0']) {
      const message = preflight.problem(old);
      expect(message).toMatch(/^roadmap-bot needs Node\.js 22\.18 or newer, and this is Node v/);
      expect(message).not.toContain('\n');
      expect(message).toContain('nvm install');
      expect(message).toContain(tryCommand);
    }
    for (const fine of ['v22.18.0', 'v22.20.1', 'v24.0.0', process.version])
      expect(preflight.problem(fine)).toBeUndefined();
  });

  it("README's first lines say what to do on an older Node, with the one command that needs no Node", () => {
    const top = read('README.md').split('\n').slice(0, 16).join('\n');
    expect(top).toContain('22.18');
    expect(top).toContain('nvm install');
    expect(top).toContain(tryCommand);
  });

  it('that command runs the compiled terminal chat from the same image, interactively, with its data in a volume', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a parsed compose file is checked field by field
    const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as any;
    const terminal = compose.services.terminal;
    expect(terminal.build).toBe('.');
    expect(terminal.image).toBe(compose.services.bot.image);
    expect(terminal.profiles).toEqual(['terminal']);
    expect(terminal.stdin_open).toBe(true);
    expect(terminal.tty).toBe(true);
    expect(terminal.env_file).toBeUndefined();
    expect(terminal.command).toEqual(['node', 'dist/src/main.js']);
    expect(existsSync(path.join(ROOT, 'src/main.ts'))).toBe(true);
    const volume = /^([\w-]+):(\/app\/data)$/.exec(terminal.volumes[0]);
    expect(compose.volumes).toHaveProperty(volume![1]!);
    // The image's own environment plus the service's: no platform, so main.ts opens the terminal chat.
    const { stages } = parseDockerfile(read('Dockerfile'));
    const final = stages.at(-1)!;
    const imageEnv = Object.fromEntries(
      final.instructions
        .filter((i) => i.op === 'ENV')
        .flatMap((i) => i.args.split(/\s+/))
        .map((kv) => kv.split('=') as [string, string]),
    );
    const config = loadConfig({ ...imageEnv, TERMINAL_USER: 'you' });
    expect(config.slack ?? config.discord).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve(volume![2]!.replace('/app/', '')));
    // Only data/ and exports/ are writable by the image's user; the chat writes to both.
    const runs = final.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /chown node:node \/app\/data \/app\/exports/.test(r))).toBe(true);
  });
});
