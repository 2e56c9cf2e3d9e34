// The field-mapping page, for the Jira connection added by targets.spec.ts
// (which runs before this file): the default mapping is shown as lines; a
// required field left without a line is highlighted and the mapping is
// refused; dragging a source onto it draws the line, and saving keeps it. A
// line can also be drawn with the keyboard, and a template naming an unknown
// placeholder is shown at its line and refused. An allocation whose shares
// do not add up to 100 % is refused at its field; a fallback share makes the
// rules page's preview show each day's Jira worklog line (rules.spec.ts
// pulled the attendance and saved the rules).
import type { Page } from '@playwright/test';
import { collectPageErrors, expect, logInAsAdmin, submitTo, test, waitForHydration } from './fixtures';

function line(page: Page, target: string) {
  return page.locator(`[data-testid="mapping-line"][data-target="${target}"]`);
}

function drawn(page: Page, source: string, target: string) {
  return page.locator(`path.mapping-line[data-source="${source}"][data-target="${target}"]`);
}

function source(page: Page, key: string) {
  return page.locator(`[data-testid="source-field"][data-key="${key}"]`);
}

function target(page: Page, key: string) {
  return page.locator(`[data-testid="target-field"][data-key="${key}"]`);
}

async function openMappings(page: Page): Promise<void> {
  await page.goto('/mappings');
  await expect(page.locator('h1')).toHaveText('字段映射');
  await waitForHydration(page);
  await expect(page.getByTestId('mapping-editor')).toHaveAttribute('data-kind', 'jira_cloud');
}

test.describe.serial('field mapping', () => {
  test('a required field without a line is refused; dragging a source onto it draws the line, and it is saved', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openMappings(page);

    // The default mapping, drawn: Jira's worklog gets the date, hours, issue and a comment.
    await expect(drawn(page, 'work_date', 'started')).toHaveCount(1);
    await expect(drawn(page, 'hours', 'timeSpentSeconds')).toHaveCount(1);
    await expect(line(page, 'comment').getByTestId('transform-template')).toHaveValue('考勤同步 {work_date} {status}');

    // Removing the date's line leaves a required field empty: highlighted, and refused.
    await line(page, 'started').getByTestId('remove-line').click();
    await expect(drawn(page, 'work_date', 'started')).toHaveCount(0);
    await expect(target(page, 'started')).toHaveClass(/missing/);
    await expect(page.locator('[data-testid="target-problem"][data-key="started"]')).toContainText('必填字段还没有连线');
    const refused = await submitTo(page, '/api/mappings/save', page.getByTestId('save-mapping'));
    expect(refused.status(), 'refused save').toBe(422);
    await expect(page.locator('main')).toContainText('未保存');

    // Drawing the line by dragging the work date onto "started".
    await source(page, 'work_date').dragTo(target(page, 'started'));
    await expect(drawn(page, 'work_date', 'started')).toHaveCount(1);
    await expect(target(page, 'started')).not.toHaveClass(/missing/);
    await expect(line(page, 'started').getByTestId('line-source')).toHaveText('工作日期');

    const saved = await submitTo(page, '/api/mappings/save', page.getByTestId('save-mapping'));
    expect(saved.status(), 'save mapping').toBe(200);
    await expect(page.getByTestId('mapping-saved')).toContainText('第 1 版');

    await openMappings(page);
    await expect(page.getByTestId('mapping-revision')).toHaveText('#1');
    await expect(drawn(page, 'work_date', 'started')).toHaveCount(1);
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('a line drawn with the keyboard, and a template with an unknown placeholder shown at its line and refused', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openMappings(page);

    // Keyboard: press a source, then a target.
    await source(page, 'person_name').focus();
    await page.keyboard.press('Enter');
    await expect(source(page, 'person_name')).toHaveAttribute('aria-pressed', 'true');
    await target(page, 'comment').focus();
    await page.keyboard.press('Enter');
    await expect(drawn(page, 'person_name', 'comment')).toHaveCount(1);

    // A template naming a field that does not exist.
    await line(page, 'comment').getByTestId('transform-kind').selectOption('template');
    const template = line(page, 'comment').getByTestId('transform-template');
    await template.fill('考勤 {work_date} {nope}');
    await template.press('Tab');
    await expect(line(page, 'comment').getByTestId('line-problem')).toContainText('占位符');
    const refused = await submitTo(page, '/api/mappings/save', page.getByTestId('save-mapping'));
    expect(refused.status(), 'refused save').toBe(422);

    // Still revision 1, with the default comment.
    await openMappings(page);
    await expect(page.getByTestId('mapping-revision')).toHaveText('#1');
    await expect(line(page, 'comment').getByTestId('transform-template')).toHaveValue('考勤同步 {work_date} {status}');
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('an allocation fallback is checked and saved, and the rules preview shows the Jira worklog lines it gives', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openMappings(page);
    const fallback = page.getByTestId('allocation-fallback');
    await fallback.fill('HB/HB-7=60');
    await fallback.press('Tab');
    await expect(page.getByTestId('allocation-editor')).toContainText('比例之和必须为 100%');
    const refused = await submitTo(page, '/api/mappings/save-allocation', page.getByTestId('save-allocation'));
    expect(refused.status(), 'refused allocation').toBe(422);

    await fallback.fill('HB/HB-7=100');
    await fallback.press('Tab');
    await expect(page.getByTestId('allocation-editor')).not.toContainText('比例之和必须为 100%');
    const saved = await submitTo(page, '/api/mappings/save-allocation', page.getByTestId('save-allocation'));
    expect(saved.status(), 'save allocation').toBe(200);
    await expect(page.getByTestId('allocation-saved')).toBeVisible();

    // The rules page shows the worklog lines a day would become in Jira.
    await page.goto('/rules');
    await waitForHydration(page);
    const userid = await page.locator('#preview-people-list option').first().getAttribute('value');
    await page.getByTestId('preview-people').fill(userid ?? '');
    await page.getByTestId('preview-people').press('Tab');
    await page.getByTestId('preview-first').fill('2026-11-02');
    await page.getByTestId('preview-last').fill('2026-11-08');
    await page.getByTestId('preview-target').selectOption({ label: '研发 Jira' });
    await page.getByTestId('preview-run').click();
    const monday = page.locator('[data-testid="preview-day"][data-date="2026-11-02"]');
    const worklog = monday.getByTestId('preview-line');
    await expect(worklog).toHaveCount(1);
    await expect(worklog).toContainText('HB / HB-7');
    await expect(worklog).toContainText('timeSpentSeconds');
    await expect(worklog).toContainText('考勤同步 2026-11-02');
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });
});
