// Runs before every other test (project "first-admin" in playwright.config.ts):
// the administrator created on first start logs in with the one-time
// password printed by the server and must choose their own.
import {
  ADMIN,
  expect,
  expectPath,
  fieldProblem,
  oneTimeAdminPassword,
  submitLogin,
  submitPasswordChange,
  test,
  waitForHydration,
} from './fixtures';

test('the first admin logs in with the one-time password, must change it, then sees the admin dashboard', async ({ page }) => {
  const oneTime = oneTimeAdminPassword();

  await page.goto('/login');
  await expect(page.locator('h1')).toHaveText('登录');
  await waitForHydration(page);
  const login = await submitLogin(page, ADMIN.username, oneTime);
  expect(login.status()).toBe(200);

  // Sent to the change-password page, with the notice saying why.
  await expectPath(page, '/account/password');
  await expect(page.getByTestId('must-change')).toHaveText('首次登录或密码被重置后，请先设置您自己的新密码。');

  // Until the password is changed, other pages send the admin back here.
  await page.goto('/users');
  await expectPath(page, '/account/password');
  await expect(page.getByTestId('must-change')).toBeVisible();
  await waitForHydration(page);

  // A confirmation that does not match is refused, beside the confirmation field.
  const mismatch = await submitPasswordChange(page, oneTime, ADMIN.password, `${ADMIN.password}x`);
  expect(mismatch.status()).toBe(422);
  await expect(fieldProblem(page, 'confirm_password')).toHaveText('两次输入不一致。');
  await expect(page.locator('#confirm_password')).toHaveAttribute('aria-invalid', 'true');
  await expectPath(page, '/account/password');

  const changed = await submitPasswordChange(page, oneTime, ADMIN.password, ADMIN.password);
  expect(changed.status()).toBe(200);

  // On the dashboard, greeted by name, with the admin's navigation.
  await expectPath(page, '/');
  await expect(page.getByTestId('welcome')).toHaveText(`欢迎，${ADMIN.displayName}`);
  await expect(page.getByTestId('current-user')).toContainText('管理员');
  await expect(page.getByTestId('must-change')).toHaveCount(0);
  const nav = page.locator('nav.sidebar');
  await expect(nav.getByRole('link', { name: '用户', exact: true })).toHaveAttribute('href', '/users');
  await expect(nav.getByRole('link', { name: '审计日志', exact: true })).toHaveAttribute('href', '/audit');
  await expect(nav.getByRole('link', { name: '设置', exact: true })).toHaveAttribute('href', '/settings');
});
