/** Who may manage a workspace: platform admins by role, plus members granted with `managers add`. */

import { managerCommand } from '../core/render/text.ts';
import type { UserRef, WorkspaceRef } from '../core/types.ts';
import type { StudyDeps } from '../db/deps.ts';
import {
  ensureMembers,
  grantManagers,
  listGrantedManagers,
  memberNames,
  revokeManagers,
} from './managers.repository.ts';
import { isGrantedManager } from './members.repository.ts';

type Person = { userId: string; displayName?: string | undefined };

const NAMES_SHOWN = 5;

/** The one-line refusal for a manager-only command: who can run it, with the granted managers by name. */
export async function managerRefusal(
  deps: StudyDeps,
  ws: WorkspaceRef,
  command: string,
  /** Who is a manager by platform role, as the adapter describes it. */
  platformAdmins: string,
): Promise<string> {
  const granted = await listGrantedManagers(deps.db, ws);
  const names = granted.slice(0, NAMES_SHOWN).map((g) => g.displayName);
  const more = granted.length > NAMES_SHOWN ? ` and ${granted.length - NAMES_SHOWN} more` : '';
  const who = names.length ? ` (now: ${names.join(', ')}${more})` : '';
  return `Only managers can use \`${command}\`: ${platformAdmins}, and members granted with ${managerCommand('managers add')}${who}. Ask one of them.`;
}

export async function addManagers(deps: StudyDeps, by: UserRef, people: readonly Person[]) {
  const now = deps.clock.now();
  await ensureMembers(deps.db, by, people, now);
  const ids = [...new Set(people.map((p) => p.userId))];
  const added = await grantManagers(deps.db, by, ids, by.userId, now);
  deps.log.info({ grantedBy: by.userId, added: added.length }, 'managers granted');
  return {
    added,
    already: ids.filter((id) => !added.includes(id)),
    names: await memberNames(deps.db, by, ids),
  };
}

export async function removeManagers(deps: StudyDeps, by: UserRef, people: readonly Person[]) {
  const ids = [...new Set(people.map((p) => p.userId))];
  const removed = await revokeManagers(deps.db, by, ids);
  deps.log.info({ revokedBy: by.userId, removed: removed.length }, 'managers revoked');
  return {
    removed,
    notGranted: ids.filter((id) => !removed.includes(id)),
    names: await memberNames(deps.db, by, ids),
  };
}

export const grantedManagers = (deps: StudyDeps, ws: WorkspaceRef) => listGrantedManagers(deps.db, ws);

/** A platform admin by role, or a member granted with `managers add`. */
export async function isManager(deps: StudyDeps, user: UserRef): Promise<boolean> {
  return user.isPlatformAdmin === true || (await isGrantedManager(deps.db, user));
}
