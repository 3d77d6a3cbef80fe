import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from '@jest/globals';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoPath } from '../paths.js';

/** The password the browser tests give the stack's seeded accounts (DEV_USERS_PASSWORD). */
export const E2E_PASSWORD = 'e2e-dev-password';

/**
 * Debian's Chromium, headless (docs: FACTS.md "Browser"). The web app must run under the gateway's
 * Content-Security-Policy (infra/nginx/nginx.conf): a CSP violation on any page fails the test.
 */
export async function withBrowser(run: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const violations: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => {
    const page = await newPage(...args);
    watch(page);
    return page;
  };
  // A context of its own (axe-core opens a second page in it to finish its run): every page it opens is watched too.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.on('page', watch);
    return context;
  };
  try {
    await run(browser);
    expect(violations).toEqual([]);
  } finally {
    await browser.close();
  }
}

/** Logs in through the web app's form and waits until the header shows the role. */
export async function logInAs(page: Page, baseUrl: string, email: string, role: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(E2E_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-role').filter({ hasText: role }).waitFor({ timeout: 10_000 });
}

/** The widths every page is looked at (issue 16): a desktop and a phone. */
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/** The narrowest and widest common phone widths: no page may scroll sideways between them. */
const PHONE_WIDTHS = [360, 414] as const;

/** The one page global the width check reads (the stack workspace has no DOM types). */
interface DocumentWidth {
  document: { documentElement: { scrollWidth: number } };
}

/** Where the journeys save what they saw: committed, so a reviewer sees every page at both widths. */
export const SCREENSHOTS = repoPath('web/e2e/screenshots');

/** One axe violation as axe-core reports it (the fields a failure message needs). */
export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: ReadonlyArray<{ target: unknown }>;
}

/** The serious and critical violations, one line per offending element: rule, impact, help text and where. */
export function seriousViolations(where: string, violations: readonly AxeViolation[]): string[] {
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${where}: ${violation.impact} ${violation.id} (${violation.help}) at ${JSON.stringify(node.target)}`));
}

/**
 * Looks at one page of a role's journey at each width: waits until `ready` shows, checks the page with axe-core and
 * saves a full-page screenshot as `<role>-<page>-<width>.png` (overwritten on each run), then checks at 360 and
 * 414 px that the page does not scroll sideways. Answers the serious and critical violations and any sideways scroll
 * found; the journey fails on them at its end, so one run lists every page's. Leaves the page at desktop width,
 * where the journey goes on.
 */
export async function lookAt(page: Page, role: string, name: string, ready: Locator): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const found: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await ready.first().waitFor({ timeout: 10_000 });
    const { violations } = await new AxeBuilder({ page }).analyze();
    found.push(...seriousViolations(`${role} ${name} at ${viewport.width} px`, violations));
    await page.screenshot({ path: join(SCREENSHOTS, `${role}-${name}-${viewport.width}.png`), fullPage: true, animations: 'disabled' });
  }
  // Phones from 360 to 414 px wide: the page itself never scrolls sideways (a wide table scrolls in its own box).
  for (const width of PHONE_WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await ready.first().waitFor({ timeout: 10_000 });
    const pageWidth = await page.evaluate(() => (globalThis as unknown as DocumentWidth).document.documentElement.scrollWidth);
    if (pageWidth > width) found.push(`${role} ${name} at ${width} px: the page is ${pageWidth} px wide and scrolls sideways`);
  }
  await page.setViewportSize(VIEWPORTS[0]);
  return found;
}
