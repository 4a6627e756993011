// A real browser for the dashboard's end-to-end tests: Debian's chromium driven by playwright-core, a fresh profile
// per run, nothing downloaded. Screenshots go to test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** dist/test/e2e/ (or any build folder of that depth) -> the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
export const APP_BUILT = existsSync(join(ROOT, 'dashboard', 'dist', 'index.html'));

/**
 * Why the browser tests cannot run here, or undefined when they can. CI sets MTEJA_E2E=required, which turns
 * a missing browser or an unbuilt dashboard into a failure instead of a skip.
 */
export function e2eUnavailable(): string | undefined {
  const reason = !existsSync(CHROMIUM)
    ? `no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
    : !APP_BUILT
      ? 'the dashboard is not built (npm run build)'
      : undefined;
  if (reason && process.env.MTEJA_E2E === 'required') throw new Error(`End-to-end tests are required but ${reason}`);
  return reason;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations included). */
  problems: string[];
  shot(name: string, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** The browser's own time zone (UTC unless given), as a viewer elsewhere would have it. */
  timezoneId?: string;
  /** Host names resolved to loopback, e.g. `{ 'mteja.test': '127.0.0.1' }`: an origin that is not loopback to the
   * browser (no secure context, HTTPS upgrades apply), as a server reached at its LAN address is, while every byte
   * stays on this machine. */
  hosts?: Record<string, string>;
}

export async function openBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'mteja-chromium-'));
  const hosts = Object.entries(options.hosts ?? {}).map(([name, address]) => `MAP ${name} ${address}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...(hosts.length ? [`--host-resolver-rules=${hosts.join(', ')}`] : []),
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: options.timezoneId ?? 'UTC',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    // Failed requests the tests provoke on purpose (a 401 before sign-in, 4xx on bad input) are not problems.
    if (
      message.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
    )
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    problems,
    async shot(name, options = {}) {
      await page.evaluate(() => (globalThis as any).document.fonts.ready);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs `email` in through the dashboard's form and waits for the overview. */
export async function signInThroughForm(page: Page, dashboardUrl: string, email: string, password: string) {
  await page.goto(`${dashboardUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}
