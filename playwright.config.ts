import { defineConfig } from '@playwright/test';

/*
 * Browser tests against the running portal. `scripts/test.sh` starts the portal (the README's
 * start command, on its own ports and a fresh database) and sets PORTAL_URL and
 * PORTAL_LOG_FILE; to run against a portal you started yourself:
 *   PORTAL_URL=http://localhost:3000 yarn test:e2e
 */
export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
    // scripts/test.sh reads the counts from here (PLAYWRIGHT_JSON_OUTPUT_NAME).
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['json'] as ['json']] : []),
  ],
  outputDir: 'node_modules/.cache/e2e-test-results',
  use: {
    baseURL: process.env.PORTAL_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Chromium hangs under libfaketime: with the test command's clock moved, the browser starts
      // without it and its pages get the moved time from Playwright's clock (e2e-tests/portalTest.ts).
      env: Object.fromEntries(
        Object.entries(process.env).filter(
          ([name]) => name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME'),
        ),
      ) as Record<string, string>,
      args: [
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
});
