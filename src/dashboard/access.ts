/**
 * Who may see what: on every request, the signed-in person must be a manager of the workspace the URL names,
 * by the bot's own rule (`isManager`: granted with `managers add`, or a platform admin). A grant revoked in chat
 * closes the dashboard at the next click. The platform role is asked of the platform when the process can
 * (the adapters' lookups, `PlatformRoles`), else taken from what the provider said at sign-in.
 */
import type { UserRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import { isManager } from '../members/managers.ts';
import type { Session, SessionWorkspace } from './session.ts';

/** Is this person a platform admin there now (Slack owner/admin, Discord Manage Server or the manager role)? */
export type PlatformRoles = (user: UserRef) => Promise<boolean | undefined>;

export interface Managed {
  workspace: SessionWorkspace;
  user: UserRef;
}

/** The session's person as a manager of `workspaceId`, or undefined when they are none there. */
export async function managerIn(
  deps: StudyDeps,
  roles: PlatformRoles | undefined,
  session: Session,
  workspaceId: string,
): Promise<Managed | undefined> {
  const workspace = session.workspaces.find((w) => w.id === workspaceId);
  if (!workspace) return undefined;
  const user: UserRef = {
    platform: session.platform,
    workspaceId,
    userId: session.userId,
    displayName: session.name,
  };
  // As in chat: granted managers first (one query), and only then the platform's roles.
  if (await isManager(deps, user)) return { workspace, user };
  const admin = (await roles?.(user)) ?? workspace.admin;
  return admin ? { workspace, user: { ...user, isPlatformAdmin: true } } : undefined;
}

/** Every workspace of the session that its person manages now. */
export async function managedWorkspaces(
  deps: StudyDeps,
  roles: PlatformRoles | undefined,
  session: Session,
): Promise<Managed[]> {
  const out: Managed[] = [];
  for (const w of session.workspaces) {
    const m = await managerIn(deps, roles, session, w.id);
    if (m) out.push(m);
  }
  return out;
}
