import { expect, guestToken, test } from './portalTest';

/*
 * The FX team is told when FX's forecast crosses its monthly budget. The demo catalog budgets FX
 * below its steady spend (catalog/products/fx.yaml), and the guest user is on the FX on-call rota
 * (a sub-team of fx-team, catalog/org), so the notification the cost plugin sends to fx-team
 * reaches whoever opens the portal: in the sidebar's bell and on the notifications page, linking
 * to FX's cost page with its budget.
 */

interface NotificationsPage {
  notifications: Array<{
    id: string;
    payload: { title: string; link?: string; topic?: string; scope?: string };
  }>;
}

test('the owning team is told in the portal when its product is forecast over budget', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // The app asks the notifications backend for the bell's count as soon as it loads.
  const statusCall = page.waitForResponse(
    response =>
      new URL(response.url()).pathname.startsWith('/api/notifications/') &&
      response.request().method() === 'GET',
  );
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  const bell = nav.getByRole('link', { name: /Notifications/ });
  await expect(bell).toBeVisible();
  const backend = new URL((await statusCall).url()).origin;

  // The cost plugin tells owners once its refresh has the month's figures and forecast.
  const token = await guestToken(request, backend, baseURL!);
  const budgetNotices = async () => {
    const response = await request.get(
      `${backend}/api/notifications/notifications`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(response.status()).toBe(200);
    const body = (await response.json()) as NotificationsPage;
    return body.notifications.filter(n => n.payload.topic === 'Cost budget');
  };
  await expect
    .poll(async () => (await budgetNotices()).map(n => n.payload.link), {
      message: "FX's budget crossing reaches the guest, on the FX on-call rota",
      timeout: 150_000,
      intervals: [2_000, 5_000],
    })
    .toEqual(['/cost/products/fx']);
  const [notice] = await budgetNotices();
  expect(notice.payload.title).toMatch(
    /^FX is forecast over its [A-Z][a-z]+ \d{4} budget \(\d+(\.\d)?%\)$/,
  );

  // The bell counts it; the notifications page lists it, linking to FX's cost page.
  await page.reload();
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(page).toHaveURL(/\/notifications/);
  const entry = page.getByText(notice.payload.title);
  await expect(entry).toBeVisible();
  const link = page.locator('a[href$="/cost/products/fx"]').first();
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/cost\/products\/fx$/);
  const budget = page.getByRole('region', { name: 'Budget' });
  await expect(budget).toContainText(
    /(Spend crossed the budget|Forecast crosses budget) on [A-Z][a-z]{2} \d{1,2}/,
  );
});
