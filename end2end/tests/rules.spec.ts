// The rules page: a new installation starts from seed-standard with one
// click; the admin previews a person's week from stored attendance, adds a
// rule and sees the preview change before saving; a rule without an outcome
// is shown at its row and refused, the saved rules unchanged. The DingTalk
// connection and its directory come from connections.spec.ts, which runs
// before this file; the attendance is pulled here from the simulator.
import type { Page } from '@playwright/test';
import { collectPageErrors, expect, logInAsAdmin, submitTo, test, waitForHydration } from './fixtures';

/** A past week, Monday to Sunday (the simulator makes attendance for any date). */
const WEEK = { first: '2026-11-02', last: '2026-11-08', monday: '2026-11-02', saturday: '2026-11-07' };

function rows(page: Page) {
  return page.getByTestId('rule-row');
}

function previewHours(page: Page, date: string) {
  return page.locator(`[data-testid="preview-day"][data-date="${date}"] [data-testid="preview-hours"]`);
}

async function openRules(page: Page): Promise<void> {
  await page.goto('/rules');
  await expect(page.locator('h1')).toHaveText('工时规则');
  await waitForHydration(page);
}

/** Shows the preview of the first person the picker offers, for WEEK. */
async function previewFirstPerson(page: Page): Promise<string> {
  const userid = await page.locator('#preview-people-list option').first().getAttribute('value');
  if (!userid) throw new Error('the preview offers no people');
  await page.getByTestId('preview-people').fill(userid);
  await page.getByTestId('preview-people').press('Tab');
  await page.getByTestId('preview-first').fill(WEEK.first);
  await page.getByTestId('preview-last').fill(WEEK.last);
  await page.getByTestId('preview-run').click();
  await expect(page.getByTestId('preview-day')).toHaveCount(7);
  return userid;
}

test.describe.serial('hours rules', () => {
  test('the admin pulls a week of attendance, starts from seed-standard with one click and previews a person', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/connections');
    await waitForHydration(page);
    const pull = page.getByTestId('pull-attendance').first();
    await pull.getByTestId('pull-first').fill(WEEK.first);
    await pull.getByTestId('pull-last').fill(WEEK.last);
    const pulled = await submitTo(page, '/api/connections/pull-attendance', pull.getByTestId('pull-attendance-run'));
    expect(pulled.status(), 'pull attendance').toBe(200);
    await expect(page.getByTestId('pull-result')).toContainText('条打卡结果');

    await openRules(page);
    await expect(page.getByTestId('no-rules')).toBeVisible();
    const seeded = await submitTo(page, '/api/rules/seed-standard', page.getByTestId('seed-standard'));
    expect(seeded.status(), 'seed-standard').toBe(200);
    // Seed-standard's rules, in order: rest days and holidays first.
    await expect(rows(page).first()).toHaveAttribute('data-rule-id', 'rest-day');
    await expect(page.locator('[data-testid="rule-row"][data-rule-id="full-day-trip"]')).toHaveCount(1);
    await expect(page.getByTestId('revision')).toHaveText('#1');
    await expect(page.getByTestId('rule-problems')).toHaveCount(0);

    await previewFirstPerson(page);
    // Saturday is a rest day: seed-standard counts only approved overtime.
    const saturday = page.locator(`[data-testid="preview-day"][data-date="${WEEK.saturday}"]`);
    await expect(saturday).toContainText('休息日');
    await expect(saturday.locator('.explanation')).not.toBeEmpty();
    expect(errors).toEqual([]);
  });

  test('adding a rule changes the preview at once, and saving keeps it', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openRules(page);
    const before = await rows(page).count();
    await previewFirstPerson(page);
    const mondayBefore = (await previewHours(page, WEEK.monday).textContent())?.trim();

    // A new last rule: workdays give a fixed 3.5 h; moved to the top so it decides first.
    await page.getByTestId('add-rule').click();
    await expect(rows(page)).toHaveCount(before + 1);
    const added = rows(page).last();
    await added.getByTestId('rule-name').fill('试点：工作日 3.5 小时');
    await added.getByTestId('rule-name').press('Tab');
    await rows(page).last().getByTestId('add-condition').selectOption('day_type');
    await rows(page).last().locator('[data-kind="day_type"] input[value="workday"]').check();
    await rows(page).last().getByTestId('outcome-kind').selectOption('hours');
    const hours = rows(page).last().getByTestId('base-hours');
    await hours.fill('3.5');
    await hours.press('Tab');
    for (let i = 0; i < before; i += 1) {
      await rows(page).nth(before - i).getByTestId('rule-up').click();
    }
    await expect(rows(page).first().getByTestId('rule-name')).toHaveValue('试点：工作日 3.5 小时');

    // The preview follows the draft, before anything is saved.
    await expect(previewHours(page, WEEK.monday)).toHaveText('3.5');
    expect(mondayBefore).not.toBe('3.5');
    await expect(page.locator(`[data-testid="preview-day"][data-date="${WEEK.monday}"]`)).toContainText('试点：工作日 3.5 小时');

    const saved = await submitTo(page, '/api/rules/save', page.getByTestId('save-rules'));
    expect(saved.status(), 'save rules').toBe(200);
    await expect(page.getByTestId('rules-saved')).toContainText('第 2 版');

    await openRules(page);
    await expect(rows(page)).toHaveCount(before + 1);
    await expect(rows(page).first().getByTestId('rule-name')).toHaveValue('试点：工作日 3.5 小时');
    expect(errors).toEqual([]);
  });

  test('a rule without an outcome and a negative cap are shown where they are, and nothing is saved', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openRules(page);
    const before = await rows(page).count();

    await page.getByTestId('add-rule').click();
    const added = rows(page).last();
    await added.getByTestId('rule-name').fill('未完成的规则');
    await added.getByTestId('rule-name').press('Tab');
    // Shown in place as soon as it is drawn.
    await expect(rows(page).last().locator('[data-testid="outcome"] .field-problem')).toHaveText('规则没有结果');
    const cap = page.getByTestId('daily-cap');
    await cap.fill('-1');
    await cap.press('Tab');
    await expect(page.locator('[data-testid="version-settings"] .field-problem')).toContainText('每日上限不能小于 0');

    const refused = await submitTo(page, '/api/rules/save', page.getByTestId('save-rules'));
    expect(refused.status(), 'refused save').toBe(422);
    await expect(page.getByTestId('rule-problems')).toContainText('2 个问题');
    await expect(page.locator('main')).toContainText('未保存：2 个问题');

    // The saved rules are unchanged.
    await openRules(page);
    await expect(rows(page)).toHaveCount(before);
    await expect(page.getByTestId('revision')).toHaveText('#2');
    // The browser logs the refused save's 422; nothing else.
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
