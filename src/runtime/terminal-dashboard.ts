/**
 * The dashboard in the terminal chat: started on the first `/dashboard`, on 127.0.0.1 only (PORT, or any free
 * port when it is taken), for the terminal's workspace. Nobody signs in with a provider here: `/dashboard`
 * prints a one-time login link, and the terminal's owner is its platform admin, as in the chat.
 */
import { randomBytes } from 'node:crypto';
import { CONSOLE_CHANNEL } from '../adapters/console/console-adapter.ts';
import type { DashboardConfig } from '../config/dashboard.ts';
import type { Log } from '../core/log.ts';
import { createDashboard } from '../dashboard/dashboard.ts';
import type { StudyDeps } from '../db/deps.ts';
import { createHttpServer, type HttpServer } from '../server/http-server.ts';

interface TerminalDashboard {
  loginLink(userId: string): Promise<string>;
  close(): Promise<void>;
}

interface TerminalDashboardOptions {
  port: number;
  /** The chat's owner: its platform admin. */
  ownerId: () => string;
  log: Log;
}

/** The terminal's dashboard, started by the first login link asked for; closing one never started does nothing. */
export function terminalDashboard(study: StudyDeps, opts: TerminalDashboardOptions): TerminalDashboard {
  let started: Promise<TerminalDashboard> | undefined;
  return {
    async loginLink(userId) {
      started ??= startTerminalDashboard(study, opts);
      return (await started).loginLink(userId);
    },
    async close() {
      if (started) await (await started).close();
    },
  };
}

const SESSION_MS = 8 * 3_600_000;

async function startTerminalDashboard(
  study: StudyDeps,
  opts: TerminalDashboardOptions,
): Promise<TerminalDashboard> {
  const log = opts.log.child({ module: 'dashboard' });
  // A fresh secret per run: the sessions of the last run end with it.
  const config: DashboardConfig = {
    publicUrl: '',
    sessionSecret: randomBytes(32).toString('hex'),
    sessionMs: SESSION_MS,
    slack: undefined,
    discord: undefined,
  };
  const dashboard = createDashboard({
    study,
    config,
    log,
    loginLinks: true,
    roles: async (user) => user.platform === 'console' && user.userId === opts.ownerId(),
  });
  const serve = (port: number): HttpServer =>
    createHttpServer({ host: '127.0.0.1', port, log, readiness: [], mounts: [dashboard] });
  let server = serve(opts.port);
  let address: { port: number };
  try {
    address = await server.listen();
  } catch {
    server = serve(0);
    address = await server.listen();
  }
  config.publicUrl = `http://127.0.0.1:${address.port}`;
  log.info({ url: `${config.publicUrl}/dashboard` }, 'terminal dashboard listening');
  return {
    loginLink: (userId) =>
      dashboard.loginLink({ platform: 'console', workspaceId: CONSOLE_CHANNEL.workspaceId, userId }),
    close: async () => void (await server.close(1000)),
  };
}
