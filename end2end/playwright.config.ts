import { defineConfig } from '@playwright/test';

// One server (started by global-setup.ts) is shared by every test, and the
// first test changes the admin's one-time password: run one test at a time,
// the first-admin setup project before everything else.
export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  // The debug build's wasm bundle is large: page loads and hydration are slow.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: {
    // baseURL comes from global setup at run time: see tests/fixtures.ts.
    headless: true,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'first-admin',
      testMatch: /first-admin\.setup\.ts$/,
    },
    {
      name: 'app',
      testMatch: /.*\.spec\.ts$/,
      dependencies: ['first-admin'],
    },
  ],
});
