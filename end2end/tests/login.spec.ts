// Logging in: wrong passwords, and the throttle after repeated failures.
import {
  ADMIN,
  createUserViaUi,
  errorBanner,
  expect,
  expectPath,
  logIn,
  logInAsAdmin,
  newSession,
  submitLogin,
  test,
  waitForHydration,
} from './fixtures';

test('an anonymous visitor is sent to the login page', async ({ page }) => {
  await page.goto('/users');
  await expectPath(page, '/login');
  await expect(page.locator('h1')).toHaveText('登录');
});

test('a wrong password shows an error and stays on the login page', async ({ page }) => {
  const response = await logIn(page, ADMIN.username, 'Wrong-Password-123');
  expect(response.status()).toBe(401);
  await expect(errorBanner(page)).toHaveText('用户名或密码错误。');
  await expectPath(page, '/login');
  await expect(page.locator('h1')).toHaveText('登录');
  await expect(page.getByTestId('welcome')).toHaveCount(0);
});

test('after five failed logins an account must wait, even with the right password', async ({ page, browser }) => {
  // An account of its own, so no other test is locked out.
  const target = {
    username: 'throttle.target',
    displayName: '限流测试',
    role: 'viewer',
    password: 'Throttle-Pass-2026',
  };
  await logInAsAdmin(page);
  await createUserViaUi(page, target);

  const { context, page: visitor } = await newSession(browser);
  try {
    await visitor.goto('/login');
    await waitForHydration(visitor);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await submitLogin(visitor, target.username, `Wrong-Password-${attempt}`);
      expect(response.status(), `failed login ${attempt}`).toBe(401);
      await expect(errorBanner(visitor)).toHaveText('用户名或密码错误。');
    }
    // The fifth failure already says to wait.
    const fifth = await submitLogin(visitor, target.username, 'Wrong-Password-5');
    expect(fifth.status()).toBe(429);
    await expect(errorBanner(visitor)).toHaveText(/^登录失败次数过多，请在 \d+ 分钟后再试。$/);

    // Now even the right password is refused without being checked.
    const right = await submitLogin(visitor, target.username, target.password);
    expect(right.status()).toBe(429);
    await expect(errorBanner(visitor)).toHaveText(/登录失败次数过多/);
    await expectPath(visitor, '/login');
  } finally {
    await context.close();
  }
});
