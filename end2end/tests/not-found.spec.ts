// Unknown addresses.
import { expect, test } from './fixtures';

test('an unknown page shows the 404 page with HTTP status 404', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('页面不存在');
  await expect(page.getByText('您访问的地址不存在。')).toBeVisible();
  await expect(page.getByRole('link', { name: '返回首页' })).toHaveAttribute('href', '/');
});

test('an unknown API endpoint answers 404 JSON', async ({ page }) => {
  const response = await page.request.get('/api/no-such-endpoint');
  expect(response.status()).toBe(404);
  expect(await response.json()).toMatchObject({ error: 'not_found' });
});
