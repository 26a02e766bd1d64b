import {
  APIRequestContext,
  Page,
  expect,
  test as base,
} from '@playwright/test';

/**
 * Playwright's `test` with the page on the test command's clock. Chromium hangs under libfaketime,
 * so when the test command runs with its clock moved (`with_clock_at`, faketime) the browser is
 * started without it (playwright.config.ts) and each page gets the moved time here instead:
 * Date in the page then agrees with the portal's clock, as a user's browser agrees with the
 * servers' on a real day.
 */
export const test = base.extend({
  context: async ({ context }, provide) => {
    if (process.env.FAKETIME) await context.clock.install({ time: Date.now() });
    await provide(context);
  },
});

export { expect };

/** A guest session's token, as the sign-in page gets it: for calling the portal's APIs directly. */
export async function guestToken(
  request: APIRequestContext,
  backend: string,
  portal: string,
): Promise<string> {
  const response = await request.get(`${backend}/api/auth/guest/refresh`, {
    headers: {
      Origin: new URL(portal).origin,
      'X-Requested-With': 'XMLHttpRequest',
    },
  });
  expect(response.ok(), `guest refresh: ${response.status()}`).toBeTruthy();
  return (await response.json()).backstageIdentity.token;
}

/**
 * Opens `url` and returns the backend's origin, from the first GET the app makes to `path`
 * (which must answer 200): the address the app itself calls, so a test runs against the test
 * command's ports and a portal started by hand alike.
 */
export async function openAndFindBackend(
  page: Page,
  url: string,
  path: string,
): Promise<string> {
  const appCall = page.waitForResponse(
    response =>
      new URL(response.url()).pathname === path &&
      response.request().method() === 'GET',
  );
  await page.goto(url);
  const response = await appCall;
  expect(response.status(), `${path} as the app calls it`).toBe(200);
  return new URL(response.url()).origin;
}
