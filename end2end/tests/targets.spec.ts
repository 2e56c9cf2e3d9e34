// Project systems and people matching, against the Jira simulator started by
// global-setup.ts (the DingTalk simulator's company, five people fewer). The
// DingTalk directory comes from connections.spec.ts, which runs before this
// file. The admin adds a Jira connection, tests it (projects found; Jira's
// own words for a wrong token), opens People matching, reads Jira's users,
// and matches a person no rule could place by hand.
import type { Page } from '@playwright/test';
import {
  collectPageErrors,
  expect,
  jiraSimulator,
  logInAsAdmin,
  otherPmSimulators,
  submitTo,
  test,
  waitForHydration,
} from './fixtures';

const TARGET = '研发 Jira';
const WRONG = '错误令牌 Jira';

function targetCard(page: Page, name: string) {
  return page.locator(`[data-testid="target"][data-name="${name}"]`);
}

async function addJira(page: Page, name: string, token: string): Promise<void> {
  const jira = jiraSimulator();
  const form = page.getByTestId('add-target');
  await form.getByTestId('target-kind').selectOption('jira_cloud');
  await form.locator('#target-name').fill(name);
  await form.locator('#target-base_url').fill(jira.url);
  await form.locator('#target-username').fill(jira.email);
  await form.locator('#target-secret').fill(token);
  const saved = await submitTo(page, '/api/pm/save', form.locator('button[type="submit"]'));
  expect(saved.status(), 'save target').toBe(200);
  await expect(targetCard(page, name)).toBeVisible();
}

async function pressTest(page: Page, name: string): Promise<void> {
  const answer = await submitTo(page, '/api/pm/test', targetCard(page, name).getByTestId('test-target'));
  expect(answer.status(), 'test target').toBe(200);
}

test.describe.serial('project systems and people matching', () => {
  test('the admin adds Jira, sees what it cannot do, and tests it', async ({ page }) => {
    const jira = jiraSimulator();
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/connections');
    await expect(page.getByTestId('targets-title')).toHaveText('项目系统');
    await expect(page.getByTestId('no-targets')).toBeVisible();
    await waitForHydration(page);

    // A bad address is named, and nothing is saved.
    const form = page.getByTestId('add-target');
    await form.locator('#target-name').fill(TARGET);
    await form.locator('#target-base_url').fill('ftp://jira.corp');
    await form.locator('#target-username').fill(jira.email);
    await form.locator('#target-secret').fill(jira.apiToken);
    const refused = await submitTo(page, '/api/pm/save', form.locator('button[type="submit"]'));
    expect(refused.status()).toBe(422);
    await expect(form.locator('#target-base_url')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('no-targets')).toBeVisible();

    await addJira(page, TARGET, jira.apiToken);
    const card = targetCard(page, TARGET);
    await expect(card).toContainText('Jira Cloud');
    // Jira cannot log work for someone else: the admin is told so.
    await expect(card.getByTestId('capabilities')).toContainText('工时记在此账号名下，备注中写明本人');
    await expect(page.locator('main')).not.toContainText(jira.apiToken);

    await pressTest(page, TARGET);
    const result = card.getByTestId('target-test-result');
    await expect(result).toHaveAttribute('role', 'status');
    await expect(result).toContainText(`${jira.projects} 个项目`);

    await addJira(page, WRONG, 'not-the-token');
    await pressTest(page, WRONG);
    const failed = targetCard(page, WRONG).getByTestId('target-test-result');
    await expect(failed).toHaveAttribute('role', 'alert');
    await expect(failed).toContainText('Jira refused the credentials');
    // Disabled so that it does not count on the matching page.
    const toggled = await submitTo(page, '/api/pm/enabled', targetCard(page, WRONG).getByTestId('toggle-target'));
    expect(toggled.status()).toBe(200);
    await expect(targetCard(page, WRONG)).toContainText('已停用');
    // The one refusal above, and nothing else.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
    ]);
  });

  test('the admin reads Jira users and matches an unmatched person by hand', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/matching');
    await expect(page.locator('h1')).toHaveText('人员匹配');
    await waitForHydration(page);
    const chooser = page.getByTestId('match-connection');
    if (await chooser.count()) {
      await chooser.selectOption({ label: TARGET });
    }
    await expect(page.getByTestId('users-not-read')).toBeVisible();
    const read = await submitTo(page, '/api/matching/read_users', page.getByTestId('read-users'));
    expect(read.status()).toBe(200);
    await expect(page.getByTestId('users-read')).toBeVisible();

    // The people Jira does not know wait for a decision.
    const summary = page.getByTestId('match-summary');
    await expect(summary).toContainText('人待决定');
    const open = Number(/· (\d+) 人待决定/.exec((await summary.textContent()) ?? '')?.[1]);
    expect(open).toBeGreaterThan(0);
    const rows = page.getByTestId('match-table').locator('tbody tr');
    await expect(rows).toHaveCount(open);

    // Everyone else was matched by a rule, and says which.
    await page.getByTestId('match-filter').selectOption('all');
    await expect(page.getByTestId('match-table')).toContainText('邮箱');
    await page.getByTestId('match-filter').selectOption('needs_decision');
    await expect(rows).toHaveCount(open);

    const row = rows.first();
    const userid = await row.getAttribute('data-userid');
    await row.getByTestId('choose-account').selectOption({ index: 1 });
    const chosen = (await row.getByTestId('choose-account').locator('option:checked').textContent()) ?? '';
    const decided = await submitTo(page, '/api/matching/decide', row.getByTestId('match-this'));
    expect(decided.status()).toBe(200);
    await expect(rows).toHaveCount(open - 1);
    await expect(page.locator(`tr[data-userid="${userid}"]`)).toHaveCount(0);

    // Under "everyone" the person now shows the account and "by hand".
    await page.getByTestId('match-filter').selectOption('all');
    await page.getByTestId('match-search').fill(userid ?? '');
    await page.getByTestId('match-search').press('Enter');
    const matched = page.locator(`tr[data-userid="${userid}"]`);
    await expect(matched.getByTestId('matched-account')).toHaveText(chosen.trim());
    await expect(matched).toContainText('手动');

    // The navigation counts who is still waiting.
    await page.reload();
    await expect(page.getByTestId('matching-count')).toHaveText(String(open - 1));
    expect(errors).toEqual([]);
  });

  test('the admin adds ZenTao, TAPD and Feishu Project, each with what it needs, and tests them', async ({ page }) => {
    const errors = collectPageErrors(page);
    await logInAsAdmin(page);
    await page.goto('/connections');
    await waitForHydration(page);
    const form = page.getByTestId('add-target');
    const names: Record<string, string> = {
      zentao: '禅道',
      tapd: 'TAPD 研发',
      feishu_project: '飞书项目',
    };
    for (const sim of otherPmSimulators()) {
      const name = names[sim.kind];
      await form.getByTestId('target-kind').selectOption(sim.kind);
      await form.locator('#target-name').fill(name);
      await form.locator('#target-base_url').fill(sim.url);
      await form.locator('#target-username').fill(sim.username);
      await form.locator('#target-secret').fill(sim.secret);
      if (sim.kind === 'zentao') {
        // ZenTao records effort under the account that writes it: the admin is told whose.
        await expect(form.getByTestId('zentao-record-as')).toContainText('HourBridge 以此账号记录，并在工作内容中写明本人');
      }
      if (sim.kind === 'tapd') {
        await expect(form.locator('label[for="target-space"]')).toHaveText('公司 ID');
        await form.locator('#target-space').fill(sim.space ?? '');
      }
      if (sim.kind === 'feishu_project') {
        await expect(form.locator('label[for="target-space"]')).toHaveText('空间标识（project_key）');
        await form.locator('#target-space').fill(sim.space ?? '');
        // Without the operator's user key nothing is saved, and the field says so.
        const refused = await submitTo(page, '/api/pm/save', form.locator('button[type="submit"]'));
        expect(refused.status()).toBe(422);
        await expect(form.locator('#target-operator')).toHaveAttribute('aria-invalid', 'true');
        await expect(targetCard(page, name)).toHaveCount(0);
        await form.locator('#target-secret').fill(sim.secret);
        await form.locator('#target-operator').fill(sim.operator ?? '');
      }
      const saved = await submitTo(page, '/api/pm/save', form.locator('button[type="submit"]'));
      expect(saved.status(), `save ${sim.kind}`).toBe(200);
      const card = targetCard(page, name);
      await expect(card).toBeVisible();
      await expect(page.locator('main')).not.toContainText(sim.secret);
      if (sim.kind === 'zentao') {
        await expect(card.getByTestId('capabilities')).toContainText('工时记在此账号名下，备注中写明本人');
        await expect(card.getByTestId('capabilities')).toContainText('✗ 已写入的工时可以修改');
      } else {
        await expect(card.getByTestId('capabilities')).toContainText('✓ 工时记在每个人自己名下');
      }
      await pressTest(page, name);
      const result = card.getByTestId('target-test-result');
      await expect(result).toHaveAttribute('role', 'status');
      await expect(result).toContainText(/[1-9]\d* 个项目/);
    }
    // The one refusal above, and nothing else.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
    ]);
  });
});
