// The language switch: Simplified Chinese by default, English on request,
// remembered across page loads.
import { ADMIN, expect, logInAsAdmin, test, waitForHydration } from './fixtures';

test('the language switch turns the UI to English and back, and the choice survives a reload', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await expect(page.locator('h1')).toHaveText('登录');
  await waitForHydration(page);

  const toggle = page.getByTestId('language-switch');
  await expect(toggle).toHaveText('English');
  await toggle.click();
  await expect(page.locator('h1')).toHaveText('Log in');
  await expect(page.locator('label[for="username"]')).toHaveText('Username');
  await expect(toggle).toHaveText('中文');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('h1')).toHaveText('Log in');

  // Signed in, the whole frame speaks English.
  await logInAsAdmin(page);
  await expect(page.getByTestId('welcome')).toHaveText(`Welcome, ${ADMIN.displayName}`);
  const nav = page.locator('nav.sidebar');
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Audit log', exact: true })).toBeVisible();

  // And back to Chinese, which sticks too.
  await waitForHydration(page);
  await toggle.click();
  await expect(nav.getByRole('link', { name: '用户', exact: true })).toBeVisible();
  await expect(page.getByTestId('welcome')).toHaveText(`欢迎，${ADMIN.displayName}`);
  await expect(toggle).toHaveText('English');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await expect(nav.getByRole('link', { name: '用户', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users', exact: true })).toHaveCount(0);
});
