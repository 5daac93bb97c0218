/**
 * The dashboard in headless Chromium: a manager signs in through the loopback fake of Slack's OIDC, opens a
 * cohort page and sees its charts, pauses a drill (checked in the database); a Discord manager signs in through
 * the fake of Discord's OAuth (with PKCE) and pauses their server's drill; a member who is no manager is
 * refused, another workspace's pages stay shut when the URL is edited, a forged or replayed state is refused,
 * a POST without the CSRF token is refused; and axe-core finds no serious or critical violation on any page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDrillByChannel } from '../../src/plans/drills.repository.ts';
import { type FakeOAuth, startFakeOAuth } from '../fake-oauth/fake-oauth.ts';
import { backends } from '../helpers/databases.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { launchChromium, seriousViolations, signInWith } from './browser.ts';
import { NIA, OWNER, seedDashboard, T1_PLAIN } from './seed.ts';
import { type DashboardServer, startDashboardServer } from './server.ts';

// One backend is enough here: dashboard.test.ts runs every route on both.
const backend = backends.at(-1)!;

describe(`the dashboard in Chromium on ${backend.name}`, () => {
  let h: Harness;
  let fake: FakeOAuth;
  let server: DashboardServer;
  let browser: Browser;
  let cohortId: number;

  beforeAll(async () => {
    h = await createHarness(backend, '2026-11-20T10:00:00Z');
    await seedDashboard(h);
    fake = await startFakeOAuth();
    server = await startDashboardServer(h, fake, [OWNER]);
    browser = await launchChromium();
    cohortId = (
      await h.db.handle.db
        .selectFrom('cohorts')
        .select('id')
        .where('workspace_id', '=', 'T1')
        .executeTakeFirstOrThrow()
    ).id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
    await h?.close();
  });

  async function ownerPage(): Promise<{ context: BrowserContext; page: Page }> {
    fake.signInAs({
      slack: { teamId: 'T1', teamName: 'Acme <Study>', userId: OWNER.userId, name: OWNER.displayName },
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWith(page, server.url, 'Slack');
    return { context, page };
  }

  it('signs a manager in, shows the charts on a cohort page, and pauses a drill', async () => {
    const { context, page } = await ownerPage();
    await expect(page.getByRole('heading', { name: 'Your workspaces' }).isVisible()).resolves.toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Acme <Study>' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Backend <b>Q1</b>' }).click();
    await page.waitForURL(`${server.url}/dashboard/w/T1/cohorts/${cohortId}`);
    const charts = page.locator('figure.chart svg[role="img"]');
    expect(await charts.count()).toBe(2);
    for (const chart of await charts.all()) {
      expect(await chart.isVisible()).toBe(true);
      expect((await chart.boundingBox())!.width).toBeGreaterThan(200);
    }
    expect(await page.getByRole('img', { name: /Participation per study day/ }).count()).toBe(1);
    expect(await page.getByText('<img src=x onerror=alert(1)>Mallory').count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${server.url}/dashboard/w/T1`);
    const row = page.getByRole('row').filter({ hasText: '#C2' });
    await row.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: 'The drill is paused.' }).waitFor();
    expect((await findDrillByChannel(h.db.handle.db, T1_PLAIN))?.status).toBe('paused');
    await page.getByRole('row').filter({ hasText: '#C2' }).getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').filter({ hasText: 'The drill is resumed.' }).waitFor();
    expect((await findDrillByChannel(h.db.handle.db, T1_PLAIN))?.status).toBe('active');

    await page.getByRole('link', { name: 'Reported questions' }).click();
    await page.getByRole('heading', { name: 'Reported questions' }).waitFor();
    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it("signs a Discord manager in through Discord's OAuth with PKCE, and pauses their server's drill", async () => {
    const guild = '900000000000000101';
    const channel = { platform: 'discord' as const, workspaceId: guild, channelId: '900000000000000201' };
    const dora = { ...channel, userId: '800000000000000101', displayName: 'Dora', isPlatformAdmin: true };
    await h.say(dora, 'schedule set 09:00 mon-fri UTC', channel);
    fake.signInAs({
      discord: {
        userId: dora.userId,
        name: 'Dora <Discord>',
        guilds: [{ id: guild, name: 'Study <server>', permissions: String(1n << 5n) }],
      },
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWith(page, server.url, 'Discord');
    expect(fake.refused).toEqual([]);
    await page.getByRole('link', { name: 'Study <server>' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const row = page.getByRole('row').filter({ hasText: channel.channelId });
    await row.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: 'The drill is paused.' }).waitFor();
    expect((await findDrillByChannel(h.db.handle.db, channel))?.status).toBe('paused');
    // The Slack workspaces stay out of a Discord sign-in.
    expect((await page.goto(`${server.url}/dashboard/w/T1`))?.status()).toBe(403);
    await context.close();
  }, 120_000);

  it('is usable on a phone: the sign-in and every page fit 390 px without sideways scrolling, with no CSP error', async () => {
    fake.signInAs({
      slack: { teamId: 'T1', teamName: 'Acme', userId: OWNER.userId, name: OWNER.displayName },
    });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}/dashboard/signin`);
    expect(await seriousViolations(page)).toEqual([]);
    await signInWith(page, server.url, 'Slack');
    for (const path of [
      '/dashboard/w/T1',
      `/dashboard/w/T1/cohorts/${cohortId}`,
      '/dashboard/w/T1/content',
    ]) {
      await page.goto(`${server.url}${path}`);
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      // No table scrolls sideways either: on a phone the rows stack, so every column and button is in view.
      const hidden = Number(
        await page.evaluate(
          "Math.max(0, ...[...document.querySelectorAll('.scroll')].map((e) => e.scrollWidth - e.clientWidth))",
        ),
      );
      expect(hidden, path).toBe(0);
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('refuses a POST without the CSRF token, sent with the signed-in browser cookies', async () => {
    const { context } = await ownerPage();
    const res = await context.request.post(`${server.url}/dashboard/w/T1/drills/C2/pause`, {
      form: { x: '1' },
    });
    expect(res.status()).toBe(403);
    expect((await findDrillByChannel(h.db.handle.db, T1_PLAIN))?.status).toBe('active');
    await context.close();
  });

  it("refuses a member who is no manager, and another workspace's pages by URL", async () => {
    const { context, page } = await ownerPage();
    const other = await page.goto(`${server.url}/dashboard/w/T2`);
    expect(other?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('You are not a manager of this workspace');
    await context.close();

    fake.signInAs({
      slack: { teamId: 'T1', teamName: 'Team T1', userId: NIA.userId, name: NIA.displayName },
    });
    const member = await browser.newContext();
    const p = await member.newPage();
    await signInWith(p, server.url, 'Slack');
    expect(await p.getByRole('alert').textContent()).toContain('You are not a manager of any workspace');
    expect((await p.goto(`${server.url}/dashboard/w/T1`))?.status()).toBe(403);
    expect(await seriousViolations(p)).toEqual([]);
    await member.close();
  });

  it('refuses a forged state and a replayed callback', async () => {
    fake.signInAs({
      slack: { teamId: 'T1', teamName: 'Team T1', userId: OWNER.userId, name: OWNER.displayName },
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/dashboard/auth/slack/callback')) callbacks.push(r.url());
    });
    await signInWith(page, server.url, 'Slack');
    const used = callbacks[0]!;
    const replay = await page.goto(used);
    expect(replay?.status()).toBe(403);
    // The state cookie went with the sign-in, and the state's row too: either way, no second session.
    expect(await page.getByRole('alert').textContent()).toMatch(/Sign in again/);
    const forged = new URL(used);
    forged.searchParams.set('state', 'a-state-nobody-issued');
    expect((await page.goto(forged.toString()))?.status()).toBe(403);
    await context.close();
  });
});
