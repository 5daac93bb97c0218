/**
 * The dashboard over real HTTP with a real database: sign-in through the loopback fakes of Slack's OIDC and
 * Discord's OAuth, the manager rule on every request, tenant isolation by URL, single-use state bound to the
 * browser, CSRF on every POST, and the pages' figures and names escaped.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putLogin } from '../../src/dashboard/logins.repository.ts';
import { findDrillByChannel } from '../../src/plans/drills.repository.ts';
import { type FakeOAuth, startFakeOAuth } from '../fake-oauth/fake-oauth.ts';
import { backends } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { Browserless, csrfOf } from './client.ts';
import { GAIL, MARKUP_NAME, NIA, OWNER, seedDashboard, T1, T1_PLAIN, T2 } from './seed.ts';
import { type DashboardServer, startDashboardServer } from './server.ts';

const slackPerson = (u: { userId: string; displayName: string; workspaceId: string }) => ({
  slack: { teamId: u.workspaceId, teamName: `Team ${u.workspaceId}`, userId: u.userId, name: u.displayName },
});

describe.each(backends)('the dashboard on $name', (backend) => {
  let h: Harness;
  let fake: FakeOAuth;
  let server: DashboardServer;
  let cohortId: number;

  beforeAll(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    await seedDashboard(h);
    fake = await startFakeOAuth();
    server = await startDashboardServer(h, fake, [OWNER]);
    const row = await h.db.handle.db
      .selectFrom('cohorts')
      .select('id')
      .where('workspace_id', '=', 'T1')
      .executeTakeFirstOrThrow();
    cohortId = row.id;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    await h?.close();
  });

  async function signIn(
    person: Parameters<FakeOAuth['signInAs']>[0],
    provider: 'slack' | 'discord' = 'slack',
  ) {
    fake.signInAs(person);
    const b = new Browserless(server.url);
    const res = await b.go(`/dashboard/auth/${provider}`);
    return { b, res, html: await res.text() };
  }

  it('signs a platform admin in with Slack and shows their workspace, its channels and cohorts', async () => {
    const { b, res, html } = await signIn(slackPerson(OWNER));
    expect(res.status).toBe(200);
    expect(b.cookies.has('rb_session')).toBe(true);
    expect(html).toContain('href="/dashboard/w/T1"');
    const overview = await (await b.go('/dashboard/w/T1')).text();
    expect(overview).toContain('#C1');
    expect(overview).toContain('#C2');
    expect(overview).toContain('Backend &lt;b&gt;Q1&lt;/b&gt;');
    expect(overview).not.toContain('<b>Q1</b>');
    // The plain drill's next post in its own zone: Monday 30 Nov 08:30 Berlin.
    expect(overview).toContain('Mon 30 Nov 2026, 08:30');
  });

  it('names a channel by the name its commands showed, as text, and by its id until one did', async () => {
    await h.say(NIA, 'help', T1, { channelName: 'study<b>room</b>' });
    const { b } = await signIn(slackPerson(OWNER));
    const overview = await (await b.go('/dashboard/w/T1')).text();
    // The drill's row and the cohort's row both name C1; C2 never showed its name.
    expect(overview.match(/#study&lt;b&gt;room&lt;\/b&gt;/g)).toHaveLength(2);
    expect(overview).not.toContain('#C1');
    expect(overview).toContain('#C2');
    const cohortLink = /href="(\/dashboard\/w\/T1\/cohorts\/\d+)"/.exec(overview)![1]!;
    expect(await (await b.go(cohortLink)).text()).toContain(
      '<p class="lead">#study&lt;b&gt;room&lt;/b&gt; · ',
    );
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Lax with an expiry, and the security headers', async () => {
    fake.signInAs(slackPerson(OWNER));
    const b = new Browserless(server.url);
    const start = await b.request('/dashboard/auth/slack');
    expect(start.headers.get('referrer-policy')).toBe('no-referrer');
    const state = start.headers.getSetCookie().join('\n');
    expect(state).toMatch(
      /rb_state=[^;]+; Path=\/dashboard\/auth; Max-Age=600; HttpOnly; Secure; SameSite=Lax/,
    );
    const atFake = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = await b.request(atFake.headers.get('location')!);
    expect(callback.headers.getSetCookie().join('\n')).toMatch(
      /rb_session=[^;]+; Path=\/dashboard; Max-Age=28800; HttpOnly; Secure; SameSite=Lax/,
    );
    const page = await b.go('/dashboard/w/T1');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('lets a granted manager in, and shuts them out at the next request once the grant is revoked', async () => {
    const { b } = await signIn(slackPerson(GAIL));
    expect((await b.go('/dashboard/w/T1')).status).toBe(200);
    await h.say(OWNER, `managers remove <@${GAIL.userId}>`, T1);
    const after = await b.go('/dashboard/w/T1');
    expect(after.status).toBe(403);
    await h.say(OWNER, `managers add <@${GAIL.userId}>`, T1);
  });

  it('refuses a member who is not a manager', async () => {
    const { b, html } = await signIn(slackPerson(NIA));
    expect(html).toContain('You are not a manager of any workspace');
    const res = await b.go('/dashboard/w/T1');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('#C1');
  });

  it("keeps a manager of one workspace out of another's pages when the URL is edited", async () => {
    const { b } = await signIn(slackPerson(OWNER));
    expect((await b.go(`/dashboard/w/T2`)).status).toBe(403);
    const other = await h.db.handle.db
      .selectFrom('cohorts')
      .select('id')
      .where('workspace_id', '=', 'T2')
      .executeTakeFirstOrThrow();
    const res = await b.go(`/dashboard/w/T1/cohorts/${other.id}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('Other team');
    expect((await b.go(`/dashboard/w/T1/cohorts/${other.id}/export.csv`)).status).toBe(404);
  });

  it('refuses a POST from another site even with the token: by Origin, or by Sec-Fetch-Site when Origin is absent', async () => {
    const { b, html } = await signIn(slackPerson(OWNER));
    const pause = (headers: Record<string, string>) =>
      b.request('/dashboard/w/T1/drills/C2/pause', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ csrf: csrfOf(html) }).toString(),
      });
    expect((await pause({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await pause({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await pause({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    const drill = await findDrillByChannel(h.db.handle.db, T1_PLAIN);
    expect(drill?.status).toBe('active');
  });

  it('answers a malformed escape in a workspace or channel id with 404, not a failure', async () => {
    const { b, html } = await signIn(slackPerson(OWNER));
    expect((await b.request('/dashboard/w/%E0%A4%A')).status).toBe(404);
    const res = await b.post('/dashboard/w/T1/drills/%E0%A4%A/pause', { csrf: csrfOf(html) });
    expect(res.status).toBe(404);
  });

  it('on Discord reads Manage Server per server from /users/@me/guilds, with PKCE, and only servers the bot knows', async () => {
    await h.study.touch({
      platform: 'discord',
      workspaceId: '900000000000000001',
      userId: 'u',
      displayName: 'u',
    });
    await h.study.touch({
      platform: 'discord',
      workspaceId: '900000000000000002',
      userId: 'u',
      displayName: 'u',
    });
    const { b, html } = await signIn(
      {
        discord: {
          userId: '800000000000000001',
          name: 'Dora <Discord>',
          guilds: [
            { id: '900000000000000001', name: 'Managed <server>', permissions: String(1n << 5n) },
            { id: '900000000000000002', name: 'Member only', permissions: '0' },
            { id: '900000000000000003', name: 'Bot not here', permissions: String(1n << 3n) },
          ],
        },
      },
      'discord',
    );
    expect(fake.refused).toEqual([]);
    expect(html).toContain('Managed &lt;server&gt;');
    expect(html).not.toContain('Member only');
    expect(html).not.toContain('Bot not here');
    expect((await b.go('/dashboard/w/900000000000000001')).status).toBe(200);
    expect((await b.go('/dashboard/w/900000000000000002')).status).toBe(403);
    expect((await b.go('/dashboard/w/900000000000000003')).status).toBe(403);
  });

  it("keeps a Discord user whose id is a Slack manager's, naming a Slack team's id as a server, out of it", async () => {
    const { b, html } = await signIn(
      {
        discord: {
          userId: OWNER.userId,
          name: '"><script>alert(1)</script>',
          guilds: [{ id: 'T1', name: 'javascript:alert(1)', permissions: String(1n << 3n), owner: true }],
        },
      },
      'discord',
    );
    expect(html).not.toContain('/dashboard/w/T1');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect((await b.go('/dashboard/w/T1')).status).toBe(403);
    expect((await b.go('/dashboard/w/T1/content')).status).toBe(403);
    expect((await b.post('/dashboard/w/T1/drills/C1/pause', { csrf: csrfOf(html) })).status).toBe(403);
  });

  it("keeps the session cookie under the browsers' 4096 bytes for a member of many servers with long names", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => String(910000000000000000n + BigInt(i)));
    for (const workspaceId of ids)
      await h.study.touch({ platform: 'discord', workspaceId, userId: 'u', displayName: 'u' });
    const { b } = await signIn(
      {
        discord: {
          userId: '800000000000000002',
          name: 'Many Servers',
          guilds: ids.map((id, i) => ({
            id,
            name: `${'Server with a very long name '.repeat(3)}${i}`.slice(0, 100),
            permissions: i === 39 ? String(1n << 5n) : '0',
          })),
        },
      },
      'discord',
    );
    const value = b.cookies.get('rb_session') ?? '';
    expect(value.length).toBeGreaterThan(0);
    expect(`rb_session=${value}`.length).toBeLessThanOrEqual(4096);
    // The server they administer is kept, though Discord listed it last.
    expect((await b.go(`/dashboard/w/${ids[39]}`)).status).toBe(200);
  });

  it('says a sign-in cancelled at the provider was cancelled, and spends its state', async () => {
    fake.signInAs(slackPerson(OWNER));
    const b = new Browserless(server.url);
    const start = await b.request('/dashboard/auth/slack');
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    // Another browser that saw the state cannot cancel this sign-in.
    await new Browserless(server.url).request(
      `/dashboard/auth/slack/callback?error=access_denied&state=${state}`,
    );
    const keyHash = createHash('sha256').update(state).digest('hex');
    const rows = await h.db.handle.db
      .selectFrom('dashboard_logins')
      .select('kind')
      .where('key_hash', '=', keyHash)
      .execute();
    expect(rows).toHaveLength(1);
    const cancelled = await b.request(
      `/dashboard/auth/slack/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${state}`,
    );
    expect(cancelled.status).toBe(403);
    const text = await cancelled.text();
    expect(text).toContain('Sign-in was cancelled');
    expect(text).not.toContain('alert(1)');
    // The same state with a code is refused now: it was spent.
    const retry = await b.request(`/dashboard/auth/slack/callback?code=anything&state=${state}`);
    expect(await retry.text()).toContain('already used or has expired');
  });

  it('refuses a forged state and a replayed one', async () => {
    fake.signInAs(slackPerson(OWNER));
    const b = new Browserless(server.url);
    const start = await b.request('/dashboard/auth/slack');
    const callback = new URL(
      (await fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!,
    );
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    expect((await b.request(forged.toString())).status).toBe(403);
    // Another browser (no state cookie) cannot finish this sign-in either.
    expect((await new Browserless(server.url).request(callback.toString())).status).toBe(403);
    expect((await b.request(callback.toString())).status).toBe(303);
    const replay = await new Browserless(server.url);
    replay.cookies.set(
      'rb_state',
      b.cookies.get('rb_state') ?? [...start.headers.getSetCookie()][0]!.split(';')[0]!.split('=')[1]!,
    );
    expect((await replay.request(callback.toString())).status).toBe(403);
  });

  it('refuses a POST without the CSRF token, and pauses a drill with it', async () => {
    const { b } = await signIn(slackPerson(OWNER));
    const page = await (await b.go('/dashboard/w/T1')).text();
    const bare = await b.post('/dashboard/w/T1/drills/C2/pause', {});
    expect(bare.status).toBe(403);
    const wrong = await b.post('/dashboard/w/T1/drills/C2/pause', { csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const foreign = await b.request('/dashboard/w/T1/drills/C2/pause', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ csrf: csrfOf(page) }).toString(),
    });
    expect(foreign.status).toBe(403);
    expect((await findDrillByChannel(h.db.handle.db, T1_PLAIN))?.status).toBe('active');
    const ok = await b.post('/dashboard/w/T1/drills/C2/pause', { csrf: csrfOf(page) });
    expect(ok.status).toBe(303);
    const drill = await findDrillByChannel(h.db.handle.db, T1_PLAIN);
    expect(drill?.status).toBe('paused');
    expect(drill?.pause_reason).toBe('paused by Olive Owner');
    const after = await (await b.go(ok.headers.get('location')!)).text();
    expect(after).toContain('The drill is paused.');
    expect(after).toContain('paused by Olive Owner');
    const resumed = await b.post('/dashboard/w/T1/drills/C2/resume', { csrf: csrfOf(page) });
    expect(resumed.status).toBe(303);
    expect((await findDrillByChannel(h.db.handle.db, T1_PLAIN))?.status).toBe('active');
    // Pausing what is paused says why, as the command does.
    await b.post('/dashboard/w/T1/drills/C2/pause', { csrf: csrfOf(page) });
    const twice = await b.post('/dashboard/w/T1/drills/C2/pause', { csrf: csrfOf(page) });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('already paused');
    await b.post('/dashboard/w/T1/drills/C2/resume', { csrf: csrfOf(page) });
  });

  it('shows a cohort: both charts as SVG with tables, people, most-missed questions, and the CSV', async () => {
    const { b } = await signIn(slackPerson(OWNER));
    const html = await (await b.go(`/dashboard/w/T1/cohorts/${cohortId}`)).text();
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('aria-label="Participation per study day');
    expect(html).toContain('<caption>Participation per study day</caption>');
    expect(html).toContain('<caption>Accuracy by module</caption>');
    expect(html).toContain('Dee Dunn');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;Mallory');
    expect(html).not.toContain(MARKUP_NAME);
    expect(html).toContain('Most-missed questions');
    // Day 1 by the seed's script: members 0 and 3 of six chose the option after the key, the rest the key.
    const day1 = html.slice(html.indexOf('Day 1 · 2026-11-23'));
    expect(day1.slice(0, day1.indexOf('</article>'))).toMatch(
      /33% missed[\s\S]*\(correct\)<\/strong>: 67% \(4\)[\s\S]*: 33% \(2\)/,
    );
    expect(html).toContain(
      h.track.cards[0]!.questions[0]!.stem.replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;'),
    );
    const csv = await b.go(`/dashboard/w/T1/cohorts/${cohortId}/export.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(
      'member_id,member,study_day,date,module,enrolled,answered,correct,points',
    );
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1 + 6 * 5);
  });

  it('lists reported questions with notes as text, and resolves them', async () => {
    const { b } = await signIn(slackPerson(OWNER));
    const html = await (await b.go('/dashboard/w/T1/content')).text();
    expect(html).toContain('Option &lt;b&gt;B&lt;/b&gt; is also right &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const question = /name="question" value="([^"]+)"/.exec(html)![1]!;
    const res = await b.post('/dashboard/w/T1/content/resolve', {
      csrf: csrfOf(html),
      question,
      resolution: 'kept',
    });
    expect(res.status).toBe(303);
    const open = await h.db.handle.db
      .selectFrom('question_reports')
      .select('id')
      .where('workspace_id', '=', 'T1')
      .where('resolved_at', 'is', null)
      .execute();
    expect(open).toHaveLength(0);
    expect(await (await b.go(res.headers.get('location')!)).text()).toContain('The reports are resolved.');
  });

  it('signs out only with the CSRF token, and the cookie goes', async () => {
    const { b, html } = await signIn(slackPerson(OWNER));
    expect((await b.post('/dashboard/signout', {})).status).toBe(403);
    expect(b.cookies.has('rb_session')).toBe(true);
    const copied = b.cookies.get('rb_session')!;
    const out = await b.post('/dashboard/signout', { csrf: csrfOf(html) });
    expect(out.status).toBe(303);
    expect(b.cookies.has('rb_session')).toBe(false);
    expect((await b.request('/dashboard/w/T1')).headers.get('location')).toBe('/dashboard/signin');
    // A copy of the cookie taken before sign-out is refused by the server, not only forgotten by the browser,
    // and no callback naming the session's id as its state brings it back.
    const thief = new Browserless(server.url);
    thief.cookies.set('rb_session', copied);
    const sid = JSON.parse(Buffer.from(copied.split('.')[0]!, 'base64url').toString()).sid as string;
    await thief.request(`/dashboard/auth/slack/callback?error=access_denied&state=${sid}`);
    thief.cookies.set('rb_session', copied);
    const res = await thief.request('/dashboard/w/T1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/signin');
  });

  it('takes a login link once, and not after its 15 minutes', async () => {
    const who = { platform: 'console' as const, workspaceId: 'local', userId: 'sam' };
    const late = await server.dashboard.loginLink(who);
    const link = await server.dashboard.loginLink(who);
    expect((await new Browserless(server.url).request(link)).status).toBe(303);
    expect((await new Browserless(server.url).request(link)).status).toBe(403);
    h.clock.advance(16 * 60_000);
    expect((await new Browserless(server.url).request(late)).status).toBe(403);
    h.clock.set('2026-11-27T12:00:00Z');
  });

  it('signs nobody in by login link on a public dashboard, not even with a link row in its database', async () => {
    const open = await startDashboardServer(h, fake, [OWNER], {});
    try {
      const token = 'a-link-token-the-terminal-made-on-a-shared-database';
      await putLogin(
        h.db.handle.db,
        token,
        {
          kind: 'link',
          workspaceId: 'T1',
          userId: OWNER.userId,
          expiresAt: new Date(h.clock.now().getTime() + 60_000),
        },
        h.clock.now(),
      );
      const res = await new Browserless(open.url).request(`/dashboard/auth/link?token=${token}`);
      expect(res.status).toBe(404);
      expect(res.headers.getSetCookie().join()).not.toContain('rb_session');
      await expect(
        open.dashboard.loginLink({ platform: 'console', workspaceId: 'local', userId: 'sam' }),
      ).rejects.toThrow();
    } finally {
      await open.close();
    }
  });

  it('caps the sign-ins under way, which anyone may start, and takes new ones once the old expire', async () => {
    await h.db.handle.db.deleteFrom('dashboard_logins').execute();
    const busy = await startDashboardServer(h, fake, [OWNER], { maxPendingSignIns: 2 });
    try {
      const start = () => new Browserless(busy.url).request('/dashboard/auth/discord');
      expect((await start()).status).toBe(303);
      expect((await start()).status).toBe(303);
      const refused = await start();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('location')).toBeNull();
      expect(await h.db.handle.db.selectFrom('dashboard_logins').select('kind').execute()).toHaveLength(2);
      h.clock.advance(11 * 60_000);
      expect((await start()).status).toBe(303);
    } finally {
      h.clock.set('2026-11-27T12:00:00Z');
      await busy.close();
    }
  });

  it('sends a page to sign-in without a session, and refuses a tampered session cookie', async () => {
    const b = new Browserless(server.url);
    const res = await b.request('/dashboard/w/T1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/signin');
    const { b: signed } = await signIn(slackPerson(NIA));
    const [data, mac] = signed.cookies.get('rb_session')!.split('.');
    const forged = JSON.parse(Buffer.from(data!, 'base64url').toString());
    forged.userId = OWNER.userId;
    signed.cookies.set('rb_session', `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`);
    expect((await signed.request('/dashboard/w/T1')).status).toBe(303);
    void T2;
  });
});
