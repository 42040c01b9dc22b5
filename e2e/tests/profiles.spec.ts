import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { demoFlight, writeDjiLog } from '@dronelog/testkit';

/**
 * Profiles: a profile made in Settings, logging into it, a flight imported into it that the default profile never
 * sees, switching and logging out from the header, a wrong password, the 401 → /login?next= round trip, and the
 * HttpOnly SameSite=Strict cookie. A second server started here with DEFAULT_PROFILE_PASSWORD, PROFILE_CREATION_PASS,
 * a trusted proxy identity and a low lockout threshold opens on /login and shows the master password and lockout.
 *
 * The main server's auth routes allow RATE_LIMIT_AUTH = 10 requests a minute: the first test makes 7.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

const ALICE_PW = 'alice-password-1';
/** A synthetic v12 log (XOR only: no DJI key) on a day no other journey flies. */
const START = '2019-02-03T04:05:06Z';
const LOG = Buffer.from(writeDjiLog(demoFlight({ seed: 'profiles-e2e', durationS: 60, startTime: START }), { version: 12 }).bytes);
const LOG_NAME = 'DJIFlightRecord_2019-02-03_[04-05-06].txt';

test.describe.configure({ mode: 'serial' });

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('e2e-init')) {
      localStorage.setItem('dronelog.units', 'metric');
      localStorage.setItem('dronelog.theme', 'dark');
      sessionStorage.setItem('e2e-init', '1');
    }
  });
});

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === 'dronelog_session');
}

/** Nothing secret is kept by the page: no password in web storage, and script cannot read the session cookie. */
async function expectNothingStored(page: Page, secrets: string[]) {
  const stored = await page.evaluate(() => {
    const all: string[] = [document.cookie];
    for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) all.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
    return all.join('\n');
  });
  expect(stored).not.toContain('dronelog_session');
  for (const secret of secrets) expect(stored).not.toContain(secret);
}

async function openMenu(page: Page) {
  const menu = page.getByTestId('profile-menu');
  await menu.locator('summary').click();
  await expect(menu.locator('.pop')).toBeVisible();
  return menu;
}

test('a profile made in Settings keeps its own flights; switching, a wrong password, session expiry and logging out', async ({ page, context }) => {
  // --- create alice with a password in Settings -------------------------------------------------------------------
  await page.goto('/settings');
  const card = page.getByTestId('profiles-card');
  await expect(card.locator('[data-testid=profile-row][data-name=default]')).toContainText('current');
  await expect(page.getByTestId('profile-current')).toHaveText('default');
  await card.getByTestId('new-profile-name').fill('alice');
  await card.getByTestId('new-profile-protect').check();
  await expect(card.getByTestId('new-profile-master')).toHaveCount(0); // no PROFILE_CREATION_PASS on this server
  await card.getByTestId('new-profile-password').fill(ALICE_PW);
  await card.getByTestId('new-profile-repeat').fill(ALICE_PW);
  await card.getByTestId('create-profile-submit').click();
  await expect(card.getByTestId('profiles-message')).toContainText('Profile "alice" created');
  const aliceRow = card.locator('[data-testid=profile-row][data-name=alice]');
  await expect(aliceRow.getByTestId('lock-icon')).toBeVisible();

  // --- log into it: Switch on a protected profile asks for its password on /login, then comes back -------------
  await aliceRow.getByTestId('profile-switch-to').click();
  await expect(page).toHaveURL(/\/login\?profile=alice&next=%2Fsettings$/);
  await expect(page.locator('[data-testid=login-profile][data-name=alice]').getByTestId('lock-icon')).toBeVisible();
  await page.getByTestId('login-password').fill(ALICE_PW);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId('profile-current')).toHaveText('alice');
  await expect(card.locator('[data-testid=profile-row][data-name=alice]')).toContainText('current');

  const cookie = await sessionCookie(context);
  expect(cookie, 'session cookie').toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.sameSite).toBe('Strict');
  expect(cookie!.path).toBe('/');
  await expectNothingStored(page, [ALICE_PW, cookie!.value]);

  // --- import a log into alice ---------------------------------------------------------------------------------------
  await page.goto('/');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('empty-file-input').setInputFiles({ name: LOG_NAME, mimeType: 'text/plain', buffer: LOG });
  const item = page.getByTestId('import-item').filter({ hasText: LOG_NAME });
  await expect(item.getByTestId('import-status')).toHaveText('Imported', { timeout: 30_000 });
  await expect(page.getByTestId('flight-row')).toHaveCount(1);
  const aliceFlights = await (await page.request.get('/api/v1/flights?limit=100')).json();
  expect(aliceFlights.total).toBe(1);
  expect(Date.parse(aliceFlights.items[0].startTime)).toBe(Date.parse(START));

  // --- switch to default from the header: the flight is not there --------------------------------------------------
  let menu = await openMenu(page);
  await menu.locator('[data-testid=profile-switch][data-name=default]').click();
  await expect(page.getByTestId('profile-current')).toHaveText('default');
  await page.goto('/?from=2019-02-03&to=2019-02-03');
  await expect(page.getByTestId('flight-row')).toHaveCount(0);
  // The page's request context shares the browser's cookies: this is what the default profile holds.
  const defaultFlights = await (await page.request.get('/api/v1/flights?limit=100&from=2019-02-03&to=2019-02-03')).json();
  expect(defaultFlights.total).toBe(0);

  // --- back to alice: a wrong password is refused with the API's message, the right one opens it -------------------
  menu = await openMenu(page);
  await menu.locator('[data-testid=profile-switch][data-name=alice]').click();
  await expect(page).toHaveURL(/\/login\?profile=alice&next=/);
  await page.getByTestId('login-password').fill('not-her-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong password for profile "alice".');
  await expect(page.getByTestId('login-password')).toHaveValue('');
  await page.getByTestId('login-password').fill(ALICE_PW);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/\?from=2019-02-03&to=2019-02-03$/);
  await expect(page.getByTestId('profile-current')).toHaveText('alice');
  await expect(page.getByTestId('flight-row')).toHaveCount(1);

  // --- a session the server no longer knows: any API call sends the app to /login?next=, and back after ----------
  const url = new URL(page.url());
  await context.addCookies([{ name: 'dronelog_session', value: 'no-such-session', url: url.origin }]);
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Foverview$/);
  await expect(page.locator('[data-testid=login-profile][data-name=alice]')).toBeVisible();
  await page.locator('[data-testid=login-profile][data-name=alice]').click();
  await page.getByTestId('login-password').fill(ALICE_PW);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId('profile-current')).toHaveText('alice');

  // --- the header fits a phone: the menu opens inside the screen, and Log out ends the session --------------------
  await page.setViewportSize({ width: 390, height: 800 });
  menu = await openMenu(page);
  const logout = menu.getByTestId('logout');
  await expect(logout).toBeInViewport();
  const pop = await menu.locator('.pop').boundingBox();
  expect(pop!.x).toBeGreaterThanOrEqual(0);
  expect(pop!.x + pop!.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await logout.click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await sessionCookie(context)).toBeUndefined();
  // The default profile has no password here, so it is still open (without a login).
  await expect(page.getByTestId('login-continue')).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 900 });

  // --- delete alice from Settings: the dialog names her and asks for her password ---------------------------------
  await page.goto('/settings');
  await expect(page.getByTestId('profile-current')).toHaveText('default');
  await card.locator('[data-testid=profile-row][data-name=alice]').getByTestId('profile-delete').click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('h2')).toHaveText('Delete profile “alice”?');
  await expect(dialog.getByTestId('delete-master')).toHaveCount(0);
  await dialog.getByTestId('delete-password').fill(ALICE_PW);
  await dialog.getByTestId('delete-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('profiles-message')).toContainText('Profile "alice" and all its flights were deleted.');
  await expect(card.locator('[data-testid=profile-row][data-name=alice]')).toHaveCount(0);
  await expect(card.locator('[data-testid=profile-row][data-name=default]').getByTestId('profile-delete')).toHaveCount(0);
});

// --- a second server: DEFAULT_PROFILE_PASSWORD, PROFILE_CREATION_PASS, a proxy identity, lockout after 2 ------------

const DEFAULT_PW = 'default-password-1';
const DEFAULT_PW_2 = 'default-password-2';
const MASTER_PW = 'master-password-1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test.describe('a server whose default profile has a password', () => {
  let server: ChildProcess | null = null;
  let stderr = '';
  let origin = '';
  let dataDir = '';

  test.beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dronelog-e2e-profiles-'));
    server = spawn(process.execPath, [path.join(repo, 'apps/api/dist/server.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        WEB_DIR: path.join(repo, 'apps/web/build'),
        LOG_LEVEL: 'warn',
        DJI_API_KEY: '',
        DEFAULT_PROFILE_PASSWORD: DEFAULT_PW,
        PROFILE_CREATION_PASS: MASTER_PW,
        LOGIN_MAX_FAILURES: '2',
        LOGIN_LOCKOUT_S: '120',
        RATE_LIMIT_AUTH: '0',
        // The browser stands in for the proxy: loopback is trusted, and it says who is signed in.
        TRUST_PROXY: '127.0.0.1',
        TRUST_PROXY_AUTH_HEADER: 'X-authentik-username',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const until = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`second server exited (${server.exitCode}): ${stderr}`);
      try {
        if ((await fetch(`${origin}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`second server did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the app opens on /login, shows the proxy identity, needs the master password, and locks after wrong passwords', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: origin, extraHTTPHeaders: { 'X-authentik-username': 'anna' } });
    const page = await context.newPage();
    try {
      // --- a deep link goes to /login and remembers the page; nothing of the logbook is offered meanwhile -----------
      await page.goto('/overview');
      await expect(page).toHaveURL(/\/login\?next=%2Foverview$/);
      await expect(page.getByTestId('login-identity')).toContainText('Signed in as anna');
      await expect(page.getByRole('link', { name: 'Overview', exact: true })).toHaveCount(0);
      await expect(page.getByTestId('profile-menu')).toHaveCount(0);
      const def = page.locator('[data-testid=login-profile][data-name=default]');
      await expect(def.getByTestId('lock-icon')).toBeVisible();
      await def.click();
      await page.getByTestId('login-password').fill(DEFAULT_PW);
      await page.getByTestId('login-submit').click();
      await expect(page).toHaveURL(/\/overview$/);
      await expect(page.getByTestId('profile-current')).toHaveText('default');
      await expect(page.getByTestId('profile-identity')).toHaveText('anna');
      const cookie = await sessionCookie(context);
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('Strict');

      // --- creating a profile needs the master password: a wrong one is refused with the API's message -------------
      await page.goto('/settings');
      const card = page.getByTestId('profiles-card');
      await card.getByTestId('new-profile-name').fill('bob');
      await card.getByTestId('new-profile-protect').check();
      await card.getByTestId('new-profile-password').fill('bob-password-1');
      await card.getByTestId('new-profile-repeat').fill('bob-password-1');
      await card.getByTestId('new-profile-master').fill('not-the-master');
      await card.getByTestId('create-profile-submit').click();
      await expect(card.getByTestId('create-profile-error')).toHaveText('Wrong password for the master password.');
      await card.getByTestId('new-profile-master').fill(MASTER_PW);
      await card.getByTestId('create-profile-submit').click();
      await expect(card.getByTestId('profiles-message')).toContainText('Profile "bob" created');

      // --- change the default profile's password --------------------------------------------------------------------
      const form = card.getByTestId('password-form');
      await form.getByTestId('pw-current').fill(DEFAULT_PW);
      await form.getByTestId('pw-new').fill(DEFAULT_PW_2);
      await form.getByTestId('pw-repeat').fill('something-else');
      await form.getByTestId('pw-save').click();
      await expect(card.getByTestId('profiles-message')).toHaveText('The two passwords are not the same.');
      await form.getByTestId('pw-repeat').fill(DEFAULT_PW_2);
      await form.getByTestId('pw-save').click();
      await expect(card.getByTestId('profiles-message')).toContainText('The password of "default" was changed.');
      await expect(form.getByTestId('pw-current')).toHaveValue('');
      await expectNothingStored(page, [DEFAULT_PW, DEFAULT_PW_2, MASTER_PW, 'bob-password-1']);

      // --- log out: no open profile, so only /login is left -----------------------------------------------------------
      await openMenu(page).then((m) => m.getByTestId('logout').click());
      await expect(page).toHaveURL(/\/login$/);
      await expect(page.getByTestId('login-continue')).toHaveCount(0);
      await page.goto('/');
      await expect(page).toHaveURL(/\/login$/);

      // --- wrong passwords lock bob out, with the time to try again ----------------------------------------------------
      await page.locator('[data-testid=login-profile][data-name=bob]').click();
      await page.getByTestId('login-password').fill('wrong-1');
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('login-error')).toHaveText('Wrong password for profile "bob".');
      await page.getByTestId('login-password').fill('wrong-2');
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('login-error')).toContainText('Too many wrong passwords for profile "bob". Try again in 120 s.');
      await expect(page.getByTestId('login-error')).toContainText(/You can try again at \d{2}:\d{2}:\d{2}\./);
      await expect(page.getByTestId('login-submit')).toBeDisabled();

      // --- the old default password no longer works, the new one does ------------------------------------------------
      await page.locator('[data-testid=login-profile][data-name=default]').click();
      await expect(page.getByTestId('login-submit')).toBeEnabled();
      await page.getByTestId('login-password').fill(DEFAULT_PW);
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('login-error')).toHaveText('Wrong password for profile "default".');
      await page.getByTestId('login-password').fill(DEFAULT_PW_2);
      await page.getByTestId('login-submit').click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByTestId('empty-state')).toBeVisible();
      await expect(page.getByTestId('profile-current')).toHaveText('default');
    } finally {
      await context.close();
    }
  });
});
