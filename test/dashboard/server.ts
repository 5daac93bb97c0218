/** The real HTTP server with the dashboard mounted, its providers pointed at the loopback fake. */
import type { DashboardConfig } from '../../src/config/dashboard.ts';
import { silentLog } from '../../src/core/log.ts';
import type { UserRef } from '../../src/core/types.ts';
import { createDashboard, type Dashboard } from '../../src/dashboard/dashboard.ts';
import { createHttpServer } from '../../src/server/http-server.ts';
import type { FakeOAuth } from '../fake-oauth/fake-oauth.ts';
import { FAKE_CLIENT } from '../fake-oauth/fake-oauth.ts';
import type { Harness } from '../helpers/harness.ts';

export interface DashboardServer {
  url: string;
  dashboard: Dashboard;
  close(): Promise<void>;
}

/** `admins` stands for the platform's answer (Slack's users.info): who is an owner or admin now. */
export async function startDashboardServer(
  h: Harness,
  fake: FakeOAuth,
  admins: readonly UserRef[] = [],
  opts: { loginLinks?: boolean; maxPendingSignIns?: number } = { loginLinks: true },
): Promise<DashboardServer> {
  const provider = { clientId: FAKE_CLIENT.id, clientSecret: FAKE_CLIENT.secret, baseUrl: fake.url };
  const config: DashboardConfig = {
    publicUrl: 'http://127.0.0.1:0',
    sessionSecret: 'a-session-secret-for-tests-only-0123456789',
    sessionMs: 8 * 3_600_000,
    slack: provider,
    discord: provider,
  };
  const dashboard = createDashboard({
    study: h.study.deps,
    config,
    log: silentLog,
    ...(opts.loginLinks ? { loginLinks: true } : {}),
    ...(opts.maxPendingSignIns !== undefined ? { maxPendingSignIns: opts.maxPendingSignIns } : {}),
    roles: async (user) =>
      user.platform === 'slack'
        ? admins.some((a) => a.workspaceId === user.workspaceId && a.userId === user.userId)
        : undefined,
  });
  const server = createHttpServer({
    host: '127.0.0.1',
    port: 0,
    log: silentLog,
    readiness: [],
    mounts: [dashboard],
  });
  const { port } = await server.listen();
  config.publicUrl = `http://127.0.0.1:${port}`;
  return { url: config.publicUrl, dashboard, close: async () => void (await server.close(1000)) };
}
