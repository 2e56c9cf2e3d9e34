// Sync jobs. Named to sort last: Playwright runs the files in name order,
// and this one needs what the earlier ones made — the DingTalk connection
// "星桥考勤" and its directory (connections.spec.ts), the rules
// (rules.spec.ts), the Jira connection "研发 Jira" with its matched people
// (targets.spec.ts) and its field mapping and allocation
// (worklog-mapping.spec.ts). The admin pairs the two connections for
// everyone; a backfill whose last day comes before its first is refused at
// that field and starts nothing; a backfill of one week is followed live on
// its page until it is done and shows in the runs list; its failed items
// (the allocation names an issue Jira does not have) open Jira's message;
// once the allocation is fixed, "retry failed" writes them, and that retry
// is rolled back (after a confirming second click), which pauses the pair;
// finally edits that widen the pair's scope offer to backfill the people
// they add.
import type { Page } from '@playwright/test';
import {
  collectPageErrors,
  expect,
  expectPath,
  fieldProblem,
  logInAsAdmin,
  submitTo,
  test,
  waitForHydration,
} from './fixtures';

const PAIR = '考勤同步 研发';
const DINGTALK = '星桥考勤';
const JIRA = '研发 Jira';
/** The week rules.spec.ts pulled and previewed. */
const WEEK = { first: '2026-11-02', last: '2026-11-08' };
/** How long a run of one week may take in the debug build. */
const RUN_TIMEOUT = 120_000;
const FINISHED_WELL = /^(succeeded|partially_succeeded)$/;

function pairCard(page: Page) {
  return page.locator(`[data-testid="pair"][data-name="${PAIR}"]`);
}

async function openSync(page: Page, query = ''): Promise<void> {
  await page.goto(`/sync${query}`);
  await expect(page.locator('h1')).toHaveText('同步任务');
  await waitForHydration(page);
}

/** On a run's page: waits until the run is over, its bar full. */
async function waitForRunEnd(page: Page): Promise<void> {
  await expect(page.getByTestId('run-progress')).toHaveAttribute('aria-valuenow', '100', { timeout: RUN_TIMEOUT });
  await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', FINISHED_WELL);
}

async function savePair(page: Page, form: ReturnType<Page['locator']>, status = 200): Promise<void> {
  const saved = await submitTo(page, '/api/sync/pairs/save', form.getByTestId('save-pair'));
  expect(saved.status(), 'save pair').toBe(status);
}

test.describe.serial('sync jobs', () => {
  test('the admin pairs 星桥考勤 with 研发 Jira for everyone, on the default schedule, and pauses and resumes it', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await expect(page.locator('nav.sidebar').getByRole('link', { name: '同步任务', exact: true })).toHaveAttribute('href', '/sync');
    await openSync(page);
    await expect(page.getByTestId('no-pairs')).toBeVisible();

    const form = page.getByTestId('add-pair');
    // The default schedule: every hour over two days back, every night at 02:30 over a week.
    await expect(form.getByTestId('schedule-cron')).toHaveCount(2);
    await expect(form.getByTestId('schedule-cron').nth(0)).toHaveValue('0 * * * *');
    await expect(form.getByTestId('schedule-days').nth(0)).toHaveValue('2');
    await expect(form.getByTestId('schedule-cron').nth(1)).toHaveValue('30 2 * * *');
    await expect(form.getByTestId('schedule-days').nth(1)).toHaveValue('7');

    // Without a name nothing is added, and the name field says why.
    await form.locator('#pair-dingtalk').selectOption({ label: DINGTALK });
    await form.locator('#pair-pm').selectOption({ label: JIRA });
    await savePair(page, form, 422);
    await expect(form.locator('#pair-name')).toHaveAttribute('aria-invalid', 'true');
    await expect(fieldProblem(page, 'name')).toBeVisible();
    await expect(page.getByTestId('no-pairs')).toBeVisible();

    await form.locator('#pair-name').fill(PAIR);
    await savePair(page, form);
    await expect(page.getByTestId('pair-saved')).toContainText(PAIR);
    const card = pairCard(page);
    await expect(card).toBeVisible();
    await expect(card.getByTestId('pair-route')).toHaveText(`${DINGTALK} → ${JIRA}`);
    await expect(card.getByTestId('pair-scope')).toHaveText('所有人');
    await expect(card.getByTestId('pair-schedule')).toContainText('0 * * * *');
    await expect(card.getByTestId('pair-schedule')).toContainText('回溯 7 天');
    await expect(card.getByTestId('pair-status')).toHaveText('已启用');
    await expect(card.getByTestId('pair-quota')).toContainText('本月钉钉调用');

    // Paused by hand (with who paused it), then resumed.
    const paused = await submitTo(page, '/api/sync/pairs/paused', card.getByTestId('toggle-pair'));
    expect(paused.status(), 'pause').toBe(200);
    await expect(card.getByTestId('pair-status')).toHaveText('已暂停');
    await expect(card.getByTestId('paused-reason')).toBeVisible();
    const resumed = await submitTo(page, '/api/sync/pairs/paused', card.getByTestId('toggle-pair'));
    expect(resumed.status(), 'resume').toBe(200);
    await expect(card.getByTestId('pair-status')).toHaveText('已启用');
    await expect(card.getByTestId('paused-reason')).toHaveCount(0);
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('a backfill whose last day is before its first is refused at the last day, and no run starts', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openSync(page, '?trigger=manual');
    await expect(page.getByTestId('no-runs')).toBeVisible();

    await pairCard(page).getByTestId('run-pair').click();
    const form = page.getByTestId('backfill-form');
    await expect(form).toBeVisible();
    // "Run now…" proposes yesterday to today.
    await expect(form.locator('#backfill-first')).not.toHaveValue('');
    await expect(form.locator('#backfill-last')).not.toHaveValue('');
    await form.locator('#backfill-first').fill(WEEK.last);
    await form.locator('#backfill-last').fill(WEEK.first);
    const refused = await submitTo(page, '/api/sync/runs/start', form.getByTestId('start-run'));
    expect(refused.status()).toBe(422);
    await expect(fieldProblem(page, 'last')).toBeVisible();
    await expect(form.locator('#backfill-last')).toHaveAttribute('aria-invalid', 'true');
    await expectPath(page, '/sync');

    await openSync(page, '?trigger=manual');
    await expect(page.getByTestId('no-runs')).toBeVisible();
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('a backfill of a week is followed live to its end; a failed item is opened, its cause fixed and retried; the retry is rolled back', async ({ page }) => {
    test.setTimeout(4 * RUN_TIMEOUT);
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openSync(page);

    // worklog-mapping.spec.ts left the allocation's fallback on HB-7, an
    // issue this Jira does not have: every line of the week is refused.
    await pairCard(page).getByTestId('run-pair').click();
    const form = page.getByTestId('backfill-form');
    await form.locator('#backfill-pair').selectOption({ label: PAIR });
    await form.locator('#backfill-first').fill(WEEK.first);
    await form.locator('#backfill-last').fill(WEEK.last);
    const started = await submitTo(page, '/api/sync/runs/start', form.getByTestId('start-run'));
    expect(started.status(), 'start run').toBe(200);
    const run = (await started.json()) as { id: string };
    await expectPath(page, `/sync/runs/${run.id}`);

    // The run's page follows it: the bar fills up, the run ends.
    const header = page.getByTestId('run-header');
    await expect(header).toHaveAttribute('data-kind', 'sync');
    await expect(page.getByTestId('run-dates')).toHaveText(`${WEEK.first} – ${WEEK.last}`);
    await expect(page.getByTestId('run-progress')).toBeVisible();
    await waitForRunEnd(page);
    await expect(page.locator('[data-testid="step"][data-step="push"]')).toHaveCount(1);
    await expect(page.getByTestId('records-failed')).not.toHaveText('0');

    // The runs list shows it, finished, without a bar.
    await openSync(page);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
    await expect(row).toHaveAttribute('data-state', FINISHED_WELL);
    expect(Number(await row.getByTestId('records-failed').textContent())).toBeGreaterThan(0);
    await expect(row.getByTestId('run-progress')).toHaveCount(0);

    // Its page, opened from the list: a failed item opens Jira's own words.
    await row.getByTestId('run-link').click();
    await expectPath(page, `/sync/runs/${run.id}`);
    await expect(page.getByTestId('run-header')).toHaveAttribute('data-run-id', run.id);
    const failed = page.locator('[data-testid="failed-item"][data-reason="not_found"]');
    await expect(failed.first()).toBeVisible();
    await expect(page.getByTestId('failed-message')).toHaveCount(0);
    await failed.first().click();
    await expect(failed.first()).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByTestId('failed-message')).toContainText('Issue does not exist');

    // The admin points the fallback at an issue Jira has, and retries.
    await page.goto('/mappings');
    await waitForHydration(page);
    const fallback = page.getByTestId('allocation-fallback');
    await fallback.fill('CRM/CRM-1=100');
    await fallback.press('Tab');
    const saved = await submitTo(page, '/api/mappings/save-allocation', page.getByTestId('save-allocation'));
    expect(saved.status(), 'save allocation').toBe(200);
    await page.goto(`/sync/runs/${run.id}`);
    await waitForHydration(page);
    const retried = await submitTo(page, '/api/sync/runs/retry-failed', page.getByTestId('retry-failed'));
    expect(retried.status(), 'retry failed').toBe(200);
    const retry = (await retried.json()) as { id: string };
    await expectPath(page, `/sync/runs/${retry.id}`);
    await expect(page.getByTestId('run-header')).toHaveAttribute('data-kind', 'retry_failed');
    await waitForRunEnd(page);
    expect(Number(await page.getByTestId('records-out').textContent())).toBeGreaterThan(0);
    // Left failed: only the people without a Jira account.
    await expect(page.locator('[data-testid="failed-item"][data-reason="not_found"]')).toHaveCount(0);

    // Rolling back takes a second, confirming click.
    await page.getByTestId('roll-back').click();
    await expect(page.getByTestId('roll-back')).toHaveCount(0);
    await page.getByTestId('keep-run').click();
    await expect(page.getByTestId('confirm-roll-back')).toHaveCount(0);
    await page.getByTestId('roll-back').click();
    const rolled = await submitTo(page, '/api/sync/runs/roll-back', page.getByTestId('confirm-roll-back'));
    expect(rolled.status(), 'roll back').toBe(200);
    const rollback = (await rolled.json()) as { id: string };
    await expectPath(page, `/sync/runs/${rollback.id}`);
    await expect(page.getByTestId('run-header')).toHaveAttribute('data-kind', 'rollback');
    await expect(page.getByTestId('target-run')).toHaveAttribute('href', `/sync/runs/${retry.id}`);
    await waitForRunEnd(page);
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'succeeded');

    await openSync(page, '?state=succeeded');
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${rollback.id}"]`)).toBeVisible();
    // A rollback pauses the pair: its schedule would write the hours again.
    await expect(pairCard(page).getByTestId('pair-status')).toHaveText('已暂停');
    await expect(pairCard(page).getByTestId('paused-reason')).toBeVisible();
    expect(errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  test('edits that widen the scope offer to backfill the people they add', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await openSync(page);
    const card = pairCard(page);
    const checkbox = (i: number) =>
      page.getByTestId('edit-pair-form').getByTestId('pair-departments').locator('input[type="checkbox"]').nth(i);

    // Everyone → one department narrows the scope: nothing to backfill.
    await card.getByTestId('edit-pair').click();
    let form = page.getByTestId('edit-pair-form');
    await expect(form.locator('#pair-name')).toHaveValue(PAIR);
    await checkbox(0).check();
    await savePair(page, form);
    await expect(card.getByTestId('pair-scope')).toContainText('部门：');
    await expect(page.getByTestId('scope-widened')).toHaveCount(0);

    // A second department widens it.
    await card.getByTestId('edit-pair').click();
    form = page.getByTestId('edit-pair-form');
    await expect(checkbox(0)).toBeChecked();
    await checkbox(1).check();
    await savePair(page, form);
    const notice = page.getByTestId('scope-widened');
    await expect(notice).toContainText('新增了 1 个部门和 0 名人员');
    await notice.getByTestId('backfill-added').click();
    const backfill = page.getByTestId('backfill-form');
    await expect(backfill).toBeVisible();
    await expect(backfill.locator('#backfill-pair option:checked')).toHaveText(PAIR);
    // Narrowed to the department just added.
    await expect(backfill.getByTestId('backfill-departments').locator('input[type="checkbox"]')).toHaveCount(2);
    await expect(backfill.getByTestId('backfill-departments').locator('input:checked')).toHaveCount(1);
    await page.getByTestId('close-backfill').click();
    await expect(backfill).toHaveCount(0);

    // Back to everyone: widened again.
    await card.getByTestId('edit-pair').click();
    form = page.getByTestId('edit-pair-form');
    await checkbox(0).uncheck();
    await checkbox(1).uncheck();
    await savePair(page, form);
    await expect(page.getByTestId('scope-widened')).toContainText('现在覆盖所有人');
    await expect(card.getByTestId('pair-scope')).toHaveText('所有人');
    expect(errors).toEqual([]);
  });
});
