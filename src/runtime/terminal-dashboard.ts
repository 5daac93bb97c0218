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

export interface TerminalDashboard {
  loginLink(userId: string): Promise<string>;
  close(): Promise<void>;
}

const SESSION_MS = 8 * 3_600_000;

export async function startTerminalDashboard(
  study: StudyDeps,
  opts: { port: number; ownerId: string; log: Log },
): Promise<TerminalDashboard> {
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
    log: opts.log,
    roles: async (user) => user.platform === 'console' && user.userId === opts.ownerId,
  });
  const serve = (port: number): HttpServer =>
    createHttpServer({ host: '127.0.0.1', port, log: opts.log, readiness: [], mounts: [dashboard] });
  let server = serve(opts.port);
  let address: { port: number };
  try {
    address = await server.listen();
  } catch {
    server = serve(0);
    address = await server.listen();
  }
  config.publicUrl = `http://127.0.0.1:${address.port}`;
  opts.log.info({ url: `${config.publicUrl}/dashboard` }, 'terminal dashboard listening');
  return {
    loginLink: (userId) =>
      dashboard.loginLink({ platform: 'console', workspaceId: CONSOLE_CHANNEL.workspaceId, userId }),
    close: async () => void (await server.close(1000)),
  };
}
