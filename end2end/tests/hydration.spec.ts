// Every page must hydrate cleanly: a hydration error panics the wasm bundle
// and leaves the page's controls dead, although the server-rendered HTML
// still looks right.
import {
  collectPageErrors,
  createUserForm,
  expect,
  expectPath,
  logInAsAdmin,
  submitNewUser,
  test,
  waitForHydration,
} from './fixtures';

test('the login page and the signed-in pages without server data hydrate without errors', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/login');
  await waitForHydration(page);
  expect(errors, '/login').toEqual([]);

  await logInAsAdmin(page);
  for (const path of ['/', '/account/password', '/settings', '/connections']) {
    await page.goto(path);
    await expectPath(page, path);
    await waitForHydration(page);
    expect(errors, path).toEqual([]);
  }
});

// /users and /audit load data: they once failed to hydrate when the page's
// resources were created inside a Suspend future (resource ids then differed
// between server and browser). These guard against that coming back.
test('the users page hydrates: a created user appears in the table at once', async ({ page }) => {
  const errors = collectPageErrors(page);
  await logInAsAdmin(page);
  await page.goto('/users');
  await waitForHydration(page);
  expect(errors, '/users').toEqual([]);

  const user = { username: 'hydration.check', displayName: '水合检查', role: 'hr', password: 'Hydration-Pass-2026' };
  const response = await submitNewUser(page, user);
  expect(response.status()).toBe(200);
  await expect(page.getByTestId('user-created')).toContainText(user.username);
  // Without a reload.
  await expect(page.getByTestId('users-table').locator(`tr[data-username="${user.username}"]`)).toBeVisible();
  await expect(createUserForm(page)).toBeVisible();
  expect(errors).toEqual([]);
});

test('the audit page hydrates without errors', async ({ page }) => {
  const errors = collectPageErrors(page);
  await logInAsAdmin(page);
  await page.goto('/audit');
  await waitForHydration(page);
  expect(errors, '/audit').toEqual([]);
});
