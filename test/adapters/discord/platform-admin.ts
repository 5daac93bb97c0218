/**
 * The dashboard's per-request question to a Discord adapter, the same in gateway and HTTP mode: is this member a
 * platform admin now? Owner, Manage Server from a role, or the manager role; a member who left is not; a change
 * of roles counts once the brief cache has passed; an outage leaves it to the sign-in's word.
 */
import { expect } from 'vitest';
import type { PlatformAdapter } from '../../../src/adapters/adapter.ts';
import type { SettableClock } from '../../../src/core/clock.ts';
import {
  FAKE_GUILD_ID,
  FAKE_MANAGER_ROLE_ID,
  FAKE_MOD_ROLE_ID,
  FAKE_OWNER_ID,
  type FakeDiscord,
  type FakeMember,
} from '../../fake-discord/fake-discord.ts';

export async function expectLivePlatformAdmin(
  adapter: PlatformAdapter,
  fake: FakeDiscord,
  clock: SettableClock,
): Promise<void> {
  const ask = (userId: string) => adapter.isPlatformAdmin!(FAKE_GUILD_ID, userId);
  const lead: FakeMember = { id: '100000000000000031', name: 'Lea', roles: [FAKE_MANAGER_ROLE_ID] };
  const mod: FakeMember = { id: '100000000000000032', name: 'Mo', roles: [FAKE_MOD_ROLE_ID] };
  const plain: FakeMember = { id: '100000000000000033', name: 'Pat' };
  const owner: FakeMember = { id: FAKE_OWNER_ID, name: 'Own' };
  for (const m of [lead, mod, plain, owner]) fake.guildMembers.set(m.id, m);
  expect(await ask(lead.id)).toBe(true);
  expect(await ask(mod.id)).toBe(true);
  expect(await ask(owner.id)).toBe(true);
  expect(await ask(plain.id)).toBe(false);
  // Not in the server (Unknown Member): a kicked admin is no admin, whatever the sign-in said.
  expect(await ask('100000000000000099')).toBe(false);
  // Manage Server taken away: still true within the brief cache, false after it.
  fake.guildMembers.set(mod.id, { ...mod, roles: [] });
  expect(await ask(mod.id)).toBe(true);
  clock.advance(20_000);
  expect(await ask(mod.id)).toBe(false);
  // Discord cannot answer now: undefined, so the sign-in's word stands.
  fake.fail('GET', new RegExp(`^/guilds/${FAKE_GUILD_ID}/members/${plain.id}$`), 403, {
    code: 50013,
    message: 'Missing Permissions',
  });
  clock.advance(20_000);
  expect(await ask(plain.id)).toBeUndefined();
  expect(fake.requestsTo('GET', new RegExp(`^/guilds/${FAKE_GUILD_ID}/members/${lead.id}$`))).toHaveLength(1);
}
