// DingTalk connections and the people page, against the DingTalk simulator
// started by global-setup.ts: the admin adds a connection (callback
// credentials shown once), tests it (organisation and directory size, or
// DingTalk's own error for a wrong AppSecret), is refused invalid input,
// browses the synced directory; an HR user may read the people page but not
// the connections.
import type { Page } from '@playwright/test';
import {
  collectPageErrors,
  createUserViaUi,
  errorBanner,
  expect,
  expectPath,
  HR,
  logIn,
  logInAsAdmin,
  simulator,
  submitPasswordChange,
  submitTo,
  test,
  waitForHydration,
} from './fixtures';

const CONNECTION = '星桥考勤';

/** DingTalk's standard edition: 5 000 billable calls a month, the form's default. */
const STANDARD_QUOTA = 5000;

/** People per page on /people (PEOPLE_PAGE_SIZE in server/domain/src/directory.rs). */
const PAGE_SIZE = 50;

/** What the first successful test read, for the later tests. */
const directory = { departments: 0, people: 0 };

function connectionCard(page: Page) {
  return page.locator(`[data-testid="connection"][data-name="${CONNECTION}"]`);
}

/** The connections the server knows of, asked from the (hydrated, logged-in) page. */
function countConnections(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const response = await fetch('/api/connections/list', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    if (!response.ok) throw new Error(`/api/connections/list answered ${response.status}`);
    return ((await response.json()) as unknown[]).length;
  });
}

/** Presses the card's "Test connection" and waits for the server's answer. */
async function pressTest(page: Page): Promise<void> {
  const answer = await submitTo(page, '/api/connections/test', connectionCard(page).getByTestId('test-connection'));
  expect(answer.status(), 'test connection').toBe(200);
}

/** Opens the card's edit form, types a new AppSecret and saves. */
async function changeSecret(page: Page, secret: string): Promise<void> {
  const card = connectionCard(page);
  await card.getByTestId('edit-connection').click();
  const form = card.getByTestId('edit-connection-form');
  await expect(form).toBeVisible();
  // The stored values are filled in, the secret is not.
  await expect(form.locator('input[name="app_key"]')).toHaveValue(simulator().appKey);
  await expect(form.locator('input[name="oapi_base"]')).toHaveValue(simulator().url);
  await expect(form.locator('input[name="app_secret"]')).toHaveValue('');
  await form.locator('input[name="app_secret"]').fill(secret);
  const saved = await submitTo(page, '/api/connections/update', form.locator('button[type="submit"]'));
  expect(saved.status(), 'save connection').toBe(200);
  await expect(card.getByTestId('edit-connection-form')).toHaveCount(0);
}

/** Reads "N 个部门 · M 人". */
function parseCounts(text: string | null): { departments: number; people: number } {
  const match = /^(\d+) 个部门 · (\d+) 人$/.exec((text ?? '').trim());
  if (!match) throw new Error(`unexpected directory counts: ${text}`);
  return { departments: Number(match[1]), people: Number(match[2]) };
}

test.describe.serial('DingTalk connections and people', () => {
  test('the admin adds a connection to the simulator, sees the callback credentials once, and tests it', async ({ page }) => {
    const sim = simulator();
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/connections');
    await expect(page.locator('h1')).toHaveText('钉钉连接');
    await expect(page.getByTestId('no-connections')).toHaveText('还没有钉钉连接。请在下方添加。');
    await waitForHydration(page);

    const form = page.getByTestId('add-connection');
    await form.locator('#new-name').fill(CONNECTION);
    await form.locator('#new-corp_id').fill(sim.corpId);
    await form.locator('#new-app_key').fill(sim.appKey);
    await form.locator('#new-app_secret').fill(sim.appSecret);
    await form.locator('#new-oapi_base').fill(sim.url);
    await form.locator('#new-api_base').fill(sim.url);
    const created = await submitTo(page, '/api/connections/create', form.locator('button[type="submit"]'));
    expect(created.status()).toBe(200);

    // What to enter in DingTalk's event subscription, shown this once.
    const credentials = page.getByTestId('callback-credentials');
    await expect(credentials).toContainText('连接已添加：请配置事件订阅');
    await expect(credentials).toContainText('Token 与 AES Key 只显示这一次，请立即复制。');
    const callbackUrl = credentials.getByTestId('callback-url');
    await expect(callbackUrl).toContainText('/callbacks/dingtalk/');
    expect((await callbackUrl.textContent())?.startsWith(`${process.env.BASE_URL}/callbacks/dingtalk/`)).toBe(true);
    await expect(credentials.getByTestId('callback-token')).toHaveText(/^\S+$/);
    await expect(credentials.getByTestId('callback-aes-key')).toHaveText(/^\S+$/);

    // The new card, not yet tested: an empty directory, no calls.
    const card = connectionCard(page);
    await expect(card).toBeVisible();
    await expect(page.getByTestId('no-connections')).toHaveCount(0);
    await expect(card).toContainText(sim.appKey);
    await expect(card).toContainText(sim.corpId);
    await expect(card).toContainText('已启用');
    await expect(card.getByTestId('directory-counts')).toHaveText('0 个部门 · 0 人');
    // The secret never comes back to the browser.
    await expect(page.locator('main')).not.toContainText(sim.appSecret);

    await pressTest(page);
    const result = card.getByTestId('test-result');
    await expect(result).toHaveAttribute('role', 'status');
    await expect(result).toContainText(`连接成功：${sim.orgName}，`);

    // The successful test stored the directory: the card's counts follow,
    // and the test's answer names the same numbers.
    const counts = card.getByTestId('directory-counts');
    await expect(counts).toHaveText(/^[1-9]\d* 个部门 · [1-9]\d* 人$/);
    const read = parseCounts(await counts.textContent());
    expect(read.people).toBeGreaterThan(0);
    expect(read.people).toBeLessThanOrEqual(sim.people);
    expect(read.departments).toBeGreaterThan(0);
    expect(read.departments).toBeLessThanOrEqual(sim.departments + 1); // and the root
    await expect(result).toHaveText(`连接成功：${sim.orgName}，${read.departments} 个部门，${read.people} 人。`);
    Object.assign(directory, read);

    // Calls used this month, as the simulator counted the billable ones.
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { billable_this_month: number };
    const quota = card.getByTestId('quota');
    await expect(quota).toContainText(`本月已调用 ${stats.billable_this_month} / ${STANDARD_QUOTA} 次`);
    await expect(quota.getByTestId('forecast')).toHaveText(/^按当前计划预计本月 \d+ 次$/);
    await expect(quota.getByRole('meter')).toHaveAttribute('aria-valuenow', String(stats.billable_this_month));

    // Reloaded, the credentials are gone for good, the card stays.
    await page.reload();
    await expect(connectionCard(page).getByTestId('directory-counts')).toHaveText(
      `${read.departments} 个部门 · ${read.people} 人`,
    );
    await expect(page.getByTestId('callback-credentials')).toHaveCount(0);
    // With a connection to show, the page still hydrates cleanly.
    await waitForHydration(page);
    expect(errors).toEqual([]);
  });

  test("a wrong AppSecret shows DingTalk's own error, the right one works again", async ({ page }) => {
    const sim = simulator();
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/connections');
    await expect(connectionCard(page)).toBeVisible();
    await waitForHydration(page);
    const card = connectionCard(page);

    await changeSecret(page, 'not-the-app-secret');
    await pressTest(page);
    const result = card.getByTestId('test-result');
    await expect(result).toHaveAttribute('role', 'alert');
    await expect(result).toContainText('连接失败：');
    await expect(result).toContainText('不合法的appKey或appSecret');

    // The failure stays on the card after a reload, until the next test.
    await page.reload();
    await expect(connectionCard(page).getByTestId('last-test-error')).toContainText('不合法的appKey或appSecret');
    await waitForHydration(page);

    await changeSecret(page, sim.appSecret);
    await pressTest(page);
    await expect(card.getByTestId('test-result')).toHaveText(
      `连接成功：${sim.orgName}，${directory.departments} 个部门，${directory.people} 人。`,
    );
    await expect(card.getByTestId('last-test-error')).toHaveCount(0);
    await page.reload();
    await expect(connectionCard(page)).toBeVisible();
    await expect(connectionCard(page).getByTestId('last-test-error')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('an empty name and a non-http base URL are refused beside their fields, and nothing is added', async ({ page }) => {
    await logInAsAdmin(page);
    await page.goto('/connections');
    await expect(connectionCard(page)).toBeVisible();
    await waitForHydration(page);
    const before = await countConnections(page);
    const cards = page.getByTestId('connection');
    await expect(cards).toHaveCount(before);

    const form = page.getByTestId('add-connection');
    await form.locator('#new-name').fill('');
    await form.locator('#new-corp_id').fill('dingothercorp');
    await form.locator('#new-app_key').fill('dingotherappkey');
    await form.locator('#new-app_secret').fill('other-secret');
    await form.locator('#new-oapi_base').fill('ftp://x');
    const refused = await submitTo(page, '/api/connections/create', form.locator('button[type="submit"]'));
    expect(refused.status()).toBe(422);

    await expect(form.locator('.field-problem[data-field="name"]')).toHaveText('此项必填。');
    await expect(form.locator('.field-problem[data-field="oapi_base"]')).toHaveText('请输入以 http:// 或 https:// 开头的地址。');
    await expect(form.locator('#new-name')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator('#new-oapi_base')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator('.field-problem[data-field="app_key"]')).toHaveCount(0);
    await expect(page.getByTestId('callback-credentials')).toHaveCount(0);
    await expect(cards).toHaveCount(before);
    expect(await countConnections(page)).toBe(before);
  });

  test('the people page lists the synced directory, searches it and filters by status', async ({ page }) => {
    expect(directory.people, 'the first test read the directory').toBeGreaterThan(0);
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/people');
    await expect(page.locator('h1')).toHaveText('人员');

    const summary = page.getByTestId('people-summary');
    await expect(summary).toHaveText(
      new RegExp(`^共 ${directory.people} 人（在职 \\d+，离职 \\d+），${directory.departments} 个部门$`),
    );
    const [, active, left] = /在职 (\d+)，离职 (\d+)/.exec((await summary.textContent()) ?? '')!.map(Number);
    expect(active + left).toBe(directory.people);

    const table = page.getByTestId('people-table');
    const rows = table.locator('tbody tr[data-userid]');
    await expect(rows).toHaveCount(Math.min(directory.people, PAGE_SIZE));
    await expect(page.getByTestId('people-page')).toHaveText(`1 / ${Math.max(1, Math.ceil(directory.people / PAGE_SIZE))}`);
    await expect(page.getByTestId('sync-people')).toBeVisible();
    await waitForHydration(page);

    // Search for the first person by name.
    const first = rows.first();
    const userid = (await first.getAttribute('data-userid'))!;
    const name = ((await first.locator('td').first().textContent()) ?? '').trim();
    expect(name).not.toBe('');
    const search = page.getByTestId('people-search');
    await search.fill(name);
    let listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/people/list');
    await search.press('Enter');
    expect((await listed).status()).toBe(200);
    await expect(rows.filter({ hasNotText: name })).toHaveCount(0);
    await expect(table.locator(`tr[data-userid="${userid}"]`)).toBeVisible();
    const found = await rows.count();
    expect(found).toBeGreaterThanOrEqual(1);
    expect(found).toBeLessThan(directory.people);

    // Back to everyone.
    await search.fill('');
    listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/people/list');
    await search.blur();
    expect((await listed).status()).toBe(200);
    await expect(rows).toHaveCount(Math.min(directory.people, PAGE_SIZE));

    // Only those who left; perhaps nobody.
    const stateCell = (text: string) => page.locator('td:last-child', { hasText: new RegExp(`^${text}$`) });
    const filter = page.getByTestId('status-filter');
    listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/people/list');
    await filter.selectOption('left');
    expect((await listed).status()).toBe(200);
    await expect(rows).toHaveCount(Math.min(left, PAGE_SIZE));
    await expect(rows.filter({ has: stateCell('在职') })).toHaveCount(0);
    await expect(rows.filter({ has: stateCell('已离职') })).toHaveCount(Math.min(left, PAGE_SIZE));

    // Only those still there.
    listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/people/list');
    await filter.selectOption('active');
    expect((await listed).status()).toBe(200);
    await expect(rows).toHaveCount(Math.min(active, PAGE_SIZE));
    await expect(rows.filter({ has: stateCell('已离职') })).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('the admin creates an HR user', async ({ page }) => {
    await logInAsAdmin(page);
    await createUserViaUi(page, {
      username: HR.username,
      displayName: HR.displayName,
      role: 'hr',
      password: HR.initialPassword,
    });
  });

  test('HR may read the people page but not the connections', async ({ page }) => {
    const login = await logIn(page, HR.username, HR.initialPassword);
    expect(login.status()).toBe(200);
    await expectPath(page, '/account/password');
    await waitForHydration(page);
    const changed = await submitPasswordChange(page, HR.initialPassword, HR.password, HR.password);
    expect(changed.status()).toBe(200);
    await expectPath(page, '/');
    await expect(page.getByTestId('current-user')).toContainText('人事');

    const nav = page.locator('nav.sidebar');
    await expect(nav.getByRole('link', { name: '人员', exact: true })).toHaveAttribute('href', '/people');
    await expect(nav.locator('a[href="/connections"]')).toHaveCount(0);

    await page.goto('/people');
    await expect(page.getByTestId('people-summary')).toContainText(`共 ${directory.people} 人`);
    await expect(page.getByTestId('people-table').locator('tbody tr[data-userid]')).toHaveCount(
      Math.min(directory.people, PAGE_SIZE),
    );
    await expect(errorBanner(page)).toHaveCount(0);
    // Syncing is the admin's.
    await expect(page.getByTestId('sync-people')).toHaveCount(0);

    await page.goto('/connections');
    await expect(errorBanner(page)).toHaveText('您没有权限执行此操作。');
    await expect(page.getByTestId('connection')).toHaveCount(0);
    await expect(page.getByTestId('add-connection')).toHaveCount(0);

    // Nor through the server function.
    const listed = await page.evaluate(async () => {
      const response = await fetch('/api/connections/list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      return { status: response.status, body: await response.json() };
    });
    expect(listed.status).toBe(403);
    expect(listed.body).toMatchObject({ error: 'forbidden' });
  });
});
