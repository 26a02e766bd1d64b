import { expect, guestToken, test } from './portalTest';

/*
 * Owners told of their SLOs: the demo traffic spends FX rates availability's error budget
 * (packages/prometheus-local), and the SLO plugin tells FX's team once, when the first
 * evaluation after startup sees it exhausted. The guest is on the FX on-call rota (a sub-team of
 * fx-team, catalog/org), so the notification reaches whoever opens the portal: in the bell and on
 * the notifications page, linking to the SLO tab of fx-rates-service. (Card authorisation's fast
 * burn is told to card-acquiring-team, which the guest is not on.)
 */

interface NotificationsPage {
  notifications: Array<{
    id: string;
    payload: {
      title: string;
      link?: string;
      topic?: string;
      severity?: string;
    };
  }>;
}

test("the owning team is told in the portal when an SLO's error budget is exhausted", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(420_000);
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

  const token = await guestToken(request, backend, baseURL!);
  const sloNotices = async () => {
    const response = await request.get(
      `${backend}/api/notifications/notifications`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(response.status()).toBe(200);
    const body = (await response.json()) as NotificationsPage;
    return body.notifications.filter(
      n => n.payload.topic === 'SLO budget exhausted',
    );
  };
  // The first evaluation runs seconds after startup; a team without members in the catalog yet
  // is told by the next one (slo.schedule.evaluateMinutes).
  await expect
    .poll(async () => (await sloNotices()).map(n => n.payload.link), {
      message:
        "FX's exhausted budget reaches the guest, on the FX on-call rota",
      timeout: 360_000,
      intervals: [2_000, 5_000],
    })
    .toEqual(['/catalog/default/component/fx-rates-service/slo']);
  const [notice] = await sloNotices();
  expect(notice.payload.severity).toBe('high');
  expect(notice.payload.title).toMatch(
    /^FX rates availability has exhausted its error budget \(target 99\.9%\)$/,
  );

  await page.reload();
  await bell.click();
  await expect(page).toHaveURL(/\/notifications/);
  await expect(page.getByText(notice.payload.title)).toBeVisible();
  const link = page
    .locator('a[href$="/catalog/default/component/fx-rates-service/slo"]')
    .first();
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/component\/fx-rates-service\/slo$/);
  await expect(page.getByText('FX rates availability').first()).toBeVisible();
});
