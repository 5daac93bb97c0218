/**
 * `npm run screenshots`: the dashboard's pages from seeded data (test/dashboard/seed.ts, on an embedded
 * database in a temporary folder), signed in through the loopback fake providers, photographed by headless
 * Chromium at a desktop and a phone width into docs/screenshots/. Needs /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLog } from '../src/core/log.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { launchChromium, signInWith } from '../test/dashboard/browser.ts';
import { OWNER, seedDashboard } from '../test/dashboard/seed.ts';
import { startDashboardServer } from '../test/dashboard/server.ts';
import { startFakeOAuth } from '../test/fake-oauth/fake-oauth.ts';
import { createHarness } from '../test/helpers/harness.ts';

const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roadmap-screenshots-'));
  const h = await createHarness(
    {
      name: 'pglite',
      async open() {
        const handle = openDatabase({ kind: 'pglite', dataDir: dir });
        await migrateToLatest(handle.db, silentLog);
        return { handle, drop: () => handle.close() };
      },
    },
    '2026-11-20T10:00:00Z',
  );
  const fake = await startFakeOAuth();
  const server = await startDashboardServer(h, fake, [OWNER]);
  const browser = await launchChromium();
  try {
    await seedDashboard(h, { plainNames: true });
    const cohort = await h.db.handle.db
      .selectFrom('cohorts')
      .select('id')
      .where('workspace_id', '=', 'T1')
      .executeTakeFirstOrThrow();
    const pages = {
      'sign-in': '/dashboard/signin',
      overview: '/dashboard/w/T1',
      cohort: `/dashboard/w/T1/cohorts/${cohort.id}`,
      content: '/dashboard/w/T1/content',
    };
    fake.signInAs({
      slack: { teamId: 'T1', teamName: 'Acme Study', userId: OWNER.userId, name: OWNER.displayName },
    });
    mkdirSync(OUT, { recursive: true });
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${server.url}${pages['sign-in']}`);
      await page.screenshot({ path: path.join(OUT, `sign-in-${size}.png`), fullPage: true });
      await signInWith(page, server.url, 'Slack');
      for (const [name, url] of Object.entries(pages).filter(([n]) => n !== 'sign-in')) {
        await page.goto(`${server.url}${url}`);
        const file = path.join(OUT, `${name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(path.relative(process.cwd(), file));
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await fake.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
