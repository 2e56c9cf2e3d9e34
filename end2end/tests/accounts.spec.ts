// One account's life, in order: the admin creates a project manager, who logs
// in, must change the one-time password, and then may not use the admin
// pages or the admin server functions; the audit log shows all of it.
import {
  ADMIN,
  PM,
  errorBanner,
  expect,
  expectPath,
  fieldProblem,
  logIn,
  logInAsAdmin,
  submitLogin,
  submitNewUser,
  submitPasswordChange,
  submitTo,
  test,
  waitForHydration,
} from './fixtures';

test.describe.serial('a project manager account', () => {
  test('the admin creates a project manager on the users page', async ({ page }) => {
    await logInAsAdmin(page);
    await page.goto('/users');
    await expect(page.locator('h1')).toHaveText('用户');
    const table = page.getByTestId('users-table');
    await expect(table.locator('tr[data-username="admin"]')).toBeVisible();
    await waitForHydration(page);

    // The number of accounts, as the server knows it.
    const countUsers = () =>
      page.evaluate(async () => {
        const response = await fetch('/api/users/list', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: '',
        });
        if (!response.ok) throw new Error(`/api/users/list answered ${response.status}`);
        return ((await response.json()) as unknown[]).length;
      });
    const before = await countUsers();

    // Without a username the form is refused beside that field, and nothing is created.
    const refused = await submitNewUser(page, {
      username: '',
      displayName: PM.displayName,
      role: 'project_manager',
      password: PM.initialPassword,
    });
    expect(refused.status()).toBe(422);
    await expect(fieldProblem(page, 'username')).toHaveText('此项必填。');
    await expect(page.locator('#new-username')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('user-created')).toHaveCount(0);
    await expect(table.locator('tr[data-username]')).toHaveCount(before);
    expect(await countUsers()).toBe(before);

    const created = await submitNewUser(page, {
      username: PM.username,
      displayName: PM.displayName,
      role: 'project_manager',
      password: PM.initialPassword,
    });
    expect(created.status()).toBe(200);
    await expect(page.getByTestId('user-created')).toHaveText(`已创建用户 ${PM.username}。`);
    await expect(fieldProblem(page, 'username')).toHaveCount(0);
    expect(await countUsers()).toBe(before + 1);

    // The table updates in place, without a reload.
    const row = table.locator(`tr[data-username="${PM.username}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(PM.displayName);
    await expect(row.locator('select[name="role"]')).toHaveValue('project_manager');
    await expect(row).toContainText('启用');
  });

  test('the project manager must change the one-time password, then sees no admin pages', async ({ page }) => {
    const login = await logIn(page, PM.username, PM.initialPassword);
    expect(login.status()).toBe(200);
    await expectPath(page, '/account/password');
    await expect(page.getByTestId('must-change')).toBeVisible();
    await waitForHydration(page);
    const changed = await submitPasswordChange(page, PM.initialPassword, PM.password, PM.password);
    expect(changed.status()).toBe(200);

    await expectPath(page, '/');
    await expect(page.getByTestId('welcome')).toHaveText(`欢迎，${PM.displayName}`);
    await expect(page.getByTestId('current-user')).toContainText('项目经理');
    const nav = page.locator('nav.sidebar');
    await expect(nav.getByRole('link', { name: '仪表盘', exact: true })).toBeVisible();
    // The reconciliation shows every project's hours: not before issue 7
    // narrows it to the projects a manager manages.
    for (const name of ['对账', '用户', '审计日志', '设置']) {
      await expect(nav.getByRole('link', { name, exact: true })).toHaveCount(0);
    }
    await expect(nav.locator('a[href="/users"], a[href="/audit"], a[href="/settings"]')).toHaveCount(0);

    // Typing the address does not help: the page says no instead of showing the users.
    await page.goto('/users');
    await expect(errorBanner(page)).toHaveText('您没有权限执行此操作。');
    await expect(page.getByTestId('users-table')).toHaveCount(0);
    await expect(page.getByTestId('create-user')).toHaveCount(0);

    await page.goto('/audit');
    await expect(errorBanner(page)).toHaveText('您没有权限执行此操作。');
    await expect(page.getByTestId('audit-table')).toHaveCount(0);
  });

  test('admin server functions answer 403 to the project manager, and to requests without the CSRF token', async ({ page }) => {
    const login = await logIn(page, PM.username, PM.password);
    expect(login.status()).toBe(200);
    await expectPath(page, '/');
    await expect(page.getByTestId('welcome')).toHaveText(`欢迎，${PM.displayName}`);

    // From the page: csrf.js adds the token, so the role check is what refuses.
    const asPage = await page.evaluate(async () => {
      const response = await fetch('/api/users/list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      return { status: response.status, body: await response.json() };
    });
    expect(asPage.status).toBe(403);
    expect(asPage.body).toMatchObject({ error: 'forbidden' });

    // Same session cookies, but no X-CSRF-Token header: refused before the server function.
    const withoutToken = await page.request.post('/api/users/list', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: '',
    });
    expect(withoutToken.status()).toBe(403);
    expect(await withoutToken.json()).toMatchObject({ error: 'csrf' });
  });

  test('the audit log lists logins, failed logins and the created user', async ({ page }) => {
    // A failed login to look for.
    const failed = await logIn(page, PM.username, 'Not-The-Password-1');
    expect(failed.status()).toBe(401);
    await expect(errorBanner(page)).toHaveText('用户名或密码错误。');

    const login = await submitLogin(page, ADMIN.username, ADMIN.password);
    expect(login.status()).toBe(200);
    await expectPath(page, '/');
    await page.goto('/audit');
    await expect(page.locator('h1')).toHaveText('审计日志');
    const table = page.getByTestId('audit-table');
    await expect(table).toBeVisible();

    const created = table.locator('tr[data-action="user_created"]').filter({ hasText: PM.username });
    await expect(created).toHaveCount(1);
    await expect(created).toContainText('创建用户');
    await expect(created).toContainText(ADMIN.username);
    await expect(created).toContainText('role=project_manager');

    const failedLogin = table.locator('tr[data-action="login_failed"]').filter({ hasText: PM.username });
    await expect(failedLogin).toHaveCount(1);
    await expect(failedLogin).toContainText('登录失败');
    await expect(failedLogin).toContainText('127.0.0.1');

    const logins = table.locator('tr[data-action="login"]');
    await expect(logins.filter({ hasText: PM.username }).first()).toContainText('登录');
    await expect(logins.filter({ hasText: ADMIN.username }).first()).toBeVisible();

    await expect(table.locator('tr[data-action="password_changed"]').filter({ hasText: PM.username })).toHaveCount(1);
    await expect(table.locator('tr[data-action="admin_bootstrapped"]')).toHaveCount(1);
  });

  test('the admin changes the role, resets the password and deactivates the project manager', async ({ page }) => {
    await logInAsAdmin(page);
    await page.goto('/users');
    await waitForHydration(page);
    const row = page.getByTestId('users-table').locator(`tr[data-username="${PM.username}"]`);

    await row.locator('select[name="role"]').selectOption('viewer');
    const roleSaved = await submitTo(page, '/api/users/role', row.getByRole('button', { name: '保存角色' }));
    expect(roleSaved.status()).toBe(200);
    await expect(row.locator('select[name="role"]')).toHaveValue('viewer');

    const reset = await submitTo(page, '/api/users/reset-password', row.getByRole('button', { name: '重置密码' }));
    expect(reset.status()).toBe(200);
    const banner = page.locator('.banner-ok[role="status"]').filter({ has: page.getByTestId('reset-password') });
    await expect(banner).toContainText(`${PM.username} 的新初始密码（只显示这一次）`);
    await expect(page.getByTestId('reset-password')).toHaveText(/^[A-Za-z0-9]{20}$/);

    const deactivated = await submitTo(page, '/api/users/active', row.getByRole('button', { name: '停用' }));
    expect(deactivated.status()).toBe(200);
    await expect(row).toContainText('已停用');
    await expect(row.getByRole('button', { name: '启用' })).toBeVisible();

    // A deactivated account cannot log in, and is told nothing more than a wrong password would be.
    const refused = await logIn(page, PM.username, PM.password);
    expect(refused.status()).toBe(401);
    await expect(errorBanner(page)).toHaveText('用户名或密码错误。');
  });
});
