// Shared test fixture and helpers. The server is started by global-setup.ts,
// which puts its address in BASE_URL and the first admin's one-time password
// in HOURBRIDGE_ADMIN_PASSWORD (test workers inherit its environment).
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type Page,
  type Response,
} from '@playwright/test';
import type { PmSim } from '../global-setup';

export { expect };

/** The password the first-admin setup test gives the admin account. */
export const ADMIN = {
  username: 'admin',
  displayName: 'Administrator',
  password: 'Bridge-Admin-2026!',
} as const;

/** The project manager created in accounts.spec.ts. */
export const PM = {
  username: 'pm.zhang',
  displayName: '张经理',
  initialPassword: 'Initial-Pass-2026',
  password: 'Zhang-Own-Pass-2026',
} as const;

/** The HR user created in connections.spec.ts (their own password set there too). */
export const HR = {
  username: 'hr.li',
  displayName: '李人事',
  initialPassword: 'Hr-Initial-2026',
  password: 'Li-Own-Pass-2026',
} as const;

export function serverUrl(): string {
  const url = process.env.BASE_URL;
  if (!url) throw new Error('BASE_URL is not set: run the tests with `npx playwright test` (global-setup.ts starts the server)');
  return url;
}

/** The DingTalk simulator started by global-setup.ts, and its default app's credentials. */
export function simulator() {
  const url = process.env.DINGTALK_SIM_URL;
  if (!url) throw new Error('DINGTALK_SIM_URL is not set by global-setup.ts');
  return {
    url,
    /** Size of the generated company (`--people`, `--departments`). */
    people: Number(process.env.DINGTALK_SIM_PEOPLE),
    departments: Number(process.env.DINGTALK_SIM_DEPARTMENTS),
    corpId: 'dingsimcorp0001',
    appKey: 'dingsimappkey0001',
    appSecret: 'sim-app-secret-0001',
    orgName: '星桥科技（模拟）',
  } as const;
}

/** The Jira simulator started by global-setup.ts, and its integration account. */
export function jiraSimulator() {
  const url = process.env.JIRA_SIM_URL;
  if (!url) throw new Error('JIRA_SIM_URL is not set by global-setup.ts');
  return {
    url,
    projects: Number(process.env.JIRA_SIM_PROJECTS),
    email: 'hourbridge@corp.example',
    apiToken: 'sim-jira-api-token-0001',
  } as const;
}

/** The ZenTao, TAPD and Feishu Project simulators started by global-setup.ts. */
export function otherPmSimulators(): PmSim[] {
  const text = process.env.PM_SIMS;
  if (!text) throw new Error('PM_SIMS is not set by global-setup.ts');
  return JSON.parse(text) as PmSim[];
}

export function oneTimeAdminPassword(): string {
  const password = process.env.HOURBRIDGE_ADMIN_PASSWORD;
  if (!password) throw new Error('HOURBRIDGE_ADMIN_PASSWORD is not set by global-setup.ts');
  return password;
}

/**
 * Runs in every page before its own scripts: notes when the wasm bundle has
 * been instantiated. The page's loader calls `hydrate()` in the same chain of
 * promise callbacks, so once a later task sees the mark, hydration has run.
 */
function markWasmReady(): void {
  const w = window as unknown as { __hbWasmReady?: boolean };
  const mark = <T>(promise: Promise<T>): Promise<T> =>
    promise.then((result) => {
      w.__hbWasmReady = true;
      return result;
    });
  const streaming = WebAssembly.instantiateStreaming;
  if (typeof streaming === 'function') {
    WebAssembly.instantiateStreaming = function (...args: Parameters<typeof streaming>) {
      return mark(streaming.apply(WebAssembly, args));
    } as typeof streaming;
  }
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...args: unknown[]) {
    return mark((plain as (...a: unknown[]) => Promise<unknown>).apply(WebAssembly, args));
  } as typeof plain;
}

export const test = base.extend({
  // Known only once global setup has started the server, after the config was read.
  baseURL: async ({}, use) => {
    await use(serverUrl());
  },
  context: async ({ context }, use) => {
    await context.addInitScript(markWasmReady);
    await use(context);
  },
});

/** A second, independent browser session (its own cookies). */
export async function newSession(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: serverUrl(), locale: 'zh-CN' });
  await context.addInitScript(markWasmReady);
  return { context, page: await context.newPage() };
}

/** Errors the page reports (console errors, uncaught exceptions such as a wasm panic). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text().split('\n')[0]);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message.split('\n')[0]}`));
  return errors;
}

/** Asserts the page's path (the origin is the test server's). */
export async function expectPath(page: Page, path: string): Promise<void> {
  await expect(page).toHaveURL((url) => url.pathname === path);
}

/**
 * Waits until the page is hydrated: first until the wasm bundle has been
 * instantiated (so nothing is clicked while hydration runs), then until a
 * wasm-driven behaviour works: the language switch is clicked until the
 * language flips, then flipped back, so the page ends as it began.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __hbWasmReady?: boolean }).__hbWasmReady === true, undefined, {
    timeout: 60_000,
  });
  const toggle = page.getByTestId('language-switch');
  await expect(toggle).toBeVisible();
  const before = ((await toggle.textContent()) ?? '').trim();
  const flipped = before === 'English' ? '中文' : 'English';
  await expect(async () => {
    if (((await toggle.textContent()) ?? '').trim() !== flipped) {
      await toggle.click();
    }
    await expect(toggle).toHaveText(flipped, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await toggle.click();
  await expect(toggle).toHaveText(before);
}

/** Clicks a submit button and returns the answer of the server function it calls. */
export async function submitTo(page: Page, endpoint: string, button: ReturnType<Page['locator']>): Promise<Response> {
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === endpoint && r.request().method() === 'POST',
  );
  await button.click();
  return answered;
}

/** Fills in the login form (on a hydrated /login) and submits it. */
export async function submitLogin(page: Page, username: string, password: string): Promise<Response> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  return submitTo(page, '/api/account/login', page.locator('main form button[type="submit"]'));
}

/** Opens /login, waits for hydration, and submits the login form. */
export async function logIn(page: Page, username: string, password: string): Promise<Response> {
  await page.goto('/login');
  await waitForHydration(page);
  return submitLogin(page, username, password);
}

/** Logs in as the admin (after the first-admin setup) and waits for the dashboard. */
export async function logInAsAdmin(page: Page): Promise<void> {
  const response = await logIn(page, ADMIN.username, ADMIN.password);
  expect(response.status(), 'admin login').toBe(200);
  await expectPath(page, '/');
  await expect(page.getByTestId('welcome')).toBeVisible();
}

/** Fills in the change-password form (on a hydrated /account/password) and submits it. */
export async function submitPasswordChange(
  page: Page,
  current: string,
  next: string,
  confirm: string,
): Promise<Response> {
  await page.locator('#current_password').fill(current);
  await page.locator('#new_password').fill(next);
  await page.locator('#confirm_password').fill(confirm);
  return submitTo(page, '/api/account/password', page.locator('main.content form button[type="submit"]'));
}

/** The create-user form on /users. */
export function createUserForm(page: Page) {
  return page.getByTestId('create-user');
}

/** Fills in and submits the create-user form (on a hydrated /users). */
export async function submitNewUser(
  page: Page,
  user: { username: string; displayName: string; role: string; password: string },
): Promise<Response> {
  const form = createUserForm(page);
  await form.locator('#new-username').fill(user.username);
  await form.locator('#new-display-name').fill(user.displayName);
  await form.locator('#new-role').selectOption(user.role);
  await form.locator('#new-password').fill(user.password);
  return submitTo(page, '/api/users/create', form.locator('button[type="submit"]'));
}

/** As a logged-in admin: creates a user through the /users page. */
export async function createUserViaUi(
  page: Page,
  user: { username: string; displayName: string; role: string; password: string },
): Promise<void> {
  await page.goto('/users');
  await waitForHydration(page);
  const response = await submitNewUser(page, user);
  expect(response.status(), `create user ${user.username}`).toBe(200);
  await expect(page.getByTestId('user-created')).toContainText(user.username);
  await expect(page.getByTestId('users-table').locator(`tr[data-username="${user.username}"]`)).toBeVisible();
}

/** The error banner of a form (credentials, rights, throttling). */
export function errorBanner(page: Page) {
  return page.locator('.banner-error[role="alert"]');
}

/** The problem shown under one form field. */
export function fieldProblem(page: Page, field: string) {
  return page.locator(`p.field-problem[data-field="${field}"]`);
}
