// The organisation's time zone: refused when unknown, saved when valid, and
// shown on the dashboard and in the audit log.
import { expect, fieldProblem, logInAsAdmin, submitTo, test, waitForHydration } from './fixtures';

test('the admin sets the organisation time zone, and an unknown zone is refused beside the field', async ({ page }) => {
  await logInAsAdmin(page);
  await page.goto('/settings');
  await expect(page.locator('h1')).toHaveText('设置');
  await waitForHydration(page);
  const field = page.locator('#time_zone');
  await expect(field).toHaveValue('Asia/Shanghai');

  await field.fill('Mars/Olympus_Mons');
  const refused = await submitTo(page, '/api/settings/time-zone', page.locator('main.content form button[type="submit"]'));
  expect(refused.status()).toBe(422);
  await expect(fieldProblem(page, 'time_zone')).toHaveText('未知的时区名。');
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  await field.fill('Asia/Tokyo');
  const saved = await submitTo(page, '/api/settings/time-zone', page.locator('main.content form button[type="submit"]'));
  expect(saved.status()).toBe(200);
  await expect(page.locator('.banner-ok[role="status"]')).toHaveText('设置已保存。');
  await expect(fieldProblem(page, 'time_zone')).toHaveCount(0);

  await page.goto('/');
  await expect(page.getByText('组织时区：Asia/Tokyo')).toBeVisible();
  await page.goto('/audit?action=settings_changed');
  await expect(page.getByTestId('audit-table').locator('tr[data-action="settings_changed"]').first()).toContainText(
    'Asia/Shanghai -> Asia/Tokyo',
  );
  await expect(page.getByTestId('audit-table')).toContainText('(Asia/Tokyo)');

  // Back to the default, so other tests see Asia/Shanghai.
  await page.goto('/settings');
  await waitForHydration(page);
  await page.locator('#time_zone').fill('Asia/Shanghai');
  const restored = await submitTo(page, '/api/settings/time-zone', page.locator('main.content form button[type="submit"]'));
  expect(restored.status()).toBe(200);
});
