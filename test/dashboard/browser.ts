/**
 * Headless Chromium for the dashboard's browser tests and screenshots: Debian's `chromium` (installed by
 * .ci/run) driven by playwright-core, and axe-core injected into a page to check its accessibility.
 */
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

const axeSource = axe.source;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/**
 * axe-core run in the page (evaluated through the DevTools protocol, so the page's CSP, which allows no
 * inline script, stays as it is): the violations of serious or critical impact.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: unknown[];
    }[];
  });
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
}

/** Signs in through the provider's (fake) authorize page by clicking the sign-in button, as a person would. */
export async function signInWith(page: Page, base: string, provider: 'Slack' | 'Discord'): Promise<void> {
  await page.goto(`${base}/dashboard`);
  await page.getByRole('link', { name: `Sign in with ${provider}` }).click();
  await page.waitForURL(`${base}/dashboard`);
}
