// The holiday calendar: the shipped years show their State Council notice;
// 2027, not shipped, is entered by the admin and kept; a make-up workday
// inside a holiday period is named at its field and nothing is saved.
import type { Page } from '@playwright/test';
import { collectPageErrors, expect, logInAsAdmin, submitTo, test, waitForHydration } from './fixtures';

async function openYear(page: Page, year: number): Promise<void> {
  await page.goto('/calendar');
  await expect(page.locator('h1')).toHaveText('节假日日历');
  await waitForHydration(page);
  await page.locator('[data-testid="calendar-year"]', { hasText: String(year) }).click();
  await expect(page.getByTestId('calendar-year-editor')).toHaveAttribute('data-year', String(year));
}

test.describe.serial('holiday calendar', () => {
  test('a shipped year names its notice; the admin enters 2027 and it is kept', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openYear(page, 2026);
    await expect(page.getByTestId('calendar-status')).toContainText('国务院通知');
    await expect(page.getByTestId('calendar-year-editor')).toContainText('国务院办公厅关于2026年部分节假日安排的通知');
    await expect(page.getByTestId('holiday').first()).toBeVisible();

    await openYear(page, 2027);
    await expect(page.getByTestId('calendar-status')).toContainText('尚未发布');
    await expect(page.getByTestId('holiday')).toHaveCount(0);
    await page.getByTestId('add-holiday').click();
    const row = page.getByTestId('holiday').first();
    await row.locator('input[type="text"]').fill('元旦');
    await row.locator('input[type="text"]').press('Tab');
    await row.locator('input[type="date"]').nth(1).fill('2027-01-01');
    await row.locator('input[type="date"]').nth(1).press('Tab');
    const saved = await submitTo(page, '/api/calendar/save', page.getByTestId('save-calendar'));
    expect(saved.status(), 'save 2027').toBe(200);
    await expect(page.getByTestId('calendar-saved')).toBeVisible();

    await openYear(page, 2027);
    await expect(page.getByTestId('calendar-status')).toContainText('由 admin 修改');
    await expect(page.getByTestId('holiday')).toHaveCount(1);
    await expect(page.getByTestId('holiday').first().locator('input[type="text"]')).toHaveValue('元旦');
    expect(errors).toEqual([]);
  });

  test('a make-up workday inside a holiday is named, and nothing is saved', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openYear(page, 2027);
    await page.getByTestId('add-makeup').click();
    const day = page.getByTestId('makeup-day').first();
    // 2027-01-01 is the holiday entered above.
    await expect(day.locator('.field-problem')).toBeVisible();
    const refused = await submitTo(page, '/api/calendar/save', page.getByTestId('save-calendar'));
    expect(refused.status(), 'refused').toBe(422);
    await expect(page.locator('main')).toContainText('未保存');

    await openYear(page, 2027);
    await expect(page.getByTestId('makeup-day')).toHaveCount(0);
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
