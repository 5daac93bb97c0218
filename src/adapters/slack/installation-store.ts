/** Bolt's InstallationStore in Postgres/PGlite through Kysely: one encrypted row per workspace or org install. */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { ExpiringMap } from '../../core/expiring-map.ts';
import type { Log } from '../../core/log.ts';
import type { Database } from '../../db/schema.ts';
import type { TokenCipher } from './token-cipher.ts';

/** The table this module owns (migrations/20261121020000_slack_installations.ts); kept out of the core schema. */
interface SlackInstallationsTable {
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  app_id: string | null;
  bot_user_id: string | null;
  installation: string;
  installed_at?: Date;
  updated_at?: Date;
}

/**
 * Bolt fetches the installation on every request, before our handler can acknowledge; a short in-memory
 * cache keeps the database off that path. Deletions here clear it; another instance may use a revoked
 * token for at most this long, and Slack then answers token_revoked.
 */
const INSTALLATION_CACHE_MS = 60_000;
const INSTALLATION_CACHE_MAX = 5_000;

class InstallationNotFoundError extends Error {
  constructor(key: string) {
    super(`no Slack installation for ${key}`);
    this.name = 'InstallationNotFoundError';
  }
}

function installKey(q: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `enterprise:${q.enterpriseId}`;
  if (q.teamId) return `team:${q.teamId}`;
  throw new InstallationNotFoundError('an install with neither team nor enterprise id');
}

export interface SlackInstallationStore extends InstallationStore {
  /** The installation for a workspace (team id), or undefined when the app is not installed there. */
  findByTeam(teamId: string): Promise<Installation | undefined>;
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
}

type InstallationsDb = ReturnType<typeof withInstallations>;

function withInstallations(db: Kysely<Database>) {
  return db.withTables<{ slack_installations: SlackInstallationsTable }>();
}

/** One row per install key: a reinstall replaces the sealed installation and keeps `installed_at`. */
async function upsertInstallation(
  db: InstallationsDb,
  key: string,
  installation: Installation,
  sealed: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('slack_installations')
    .values({
      install_key: key,
      team_id: installation.team?.id ?? null,
      enterprise_id: installation.enterprise?.id ?? null,
      is_enterprise_install: installation.isEnterpriseInstall === true,
      app_id: installation.appId ?? null,
      bot_user_id: installation.bot?.userId ?? null,
      installation: sealed,
      installed_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('install_key').doUpdateSet((eb) => ({
        team_id: eb.ref('excluded.team_id'),
        enterprise_id: eb.ref('excluded.enterprise_id'),
        is_enterprise_install: eb.ref('excluded.is_enterprise_install'),
        app_id: eb.ref('excluded.app_id'),
        bot_user_id: eb.ref('excluded.bot_user_id'),
        installation: eb.ref('excluded.installation'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export function createInstallationStore(deps: {
  db: Kysely<Database>;
  cipher: TokenCipher;
  clock: Clock;
  log: Log;
}): SlackInstallationStore {
  const db = withInstallations(deps.db);
  // An absent installation is kept too: requests for a workspace without one do not each reach the database.
  const cache = new ExpiringMap<{ installation: Installation | undefined }>(
    deps.clock,
    INSTALLATION_CACHE_MAX,
  );

  async function load(key: string): Promise<Installation | undefined> {
    const hit = cache.get(key);
    if (hit) return hit.installation;
    const row = await db
      .selectFrom('slack_installations')
      .select('installation')
      .where('install_key', '=', key)
      .executeTakeFirst();
    const installation = row
      ? (JSON.parse(deps.cipher.decrypt(row.installation, key)) as Installation)
      : undefined;
    cache.set(key, { installation }, INSTALLATION_CACHE_MS);
    return installation;
  }

  return {
    async storeInstallation(installation) {
      const key = installKey({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall,
      });
      const sealed = deps.cipher.encrypt(JSON.stringify(installation), key);
      await upsertInstallation(db, key, installation, sealed, deps.clock.now());
      cache.delete(key);
      deps.log.info({ installKey: key }, 'slack installation stored');
    },

    async fetchInstallation(query) {
      const key = installKey(query);
      const installation = await load(key);
      if (!installation) throw new InstallationNotFoundError(key);
      return installation;
    },

    findByTeam: (teamId) => load(installKey({ teamId })),

    async deleteInstallation(query) {
      const key = installKey(query);
      await db.deleteFrom('slack_installations').where('install_key', '=', key).execute();
      cache.delete(key);
      deps.log.info({ installKey: key }, 'slack installation deleted');
    },
  };
}
