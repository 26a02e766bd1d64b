import { expect, test } from './portalTest';

test('a newcomer is signed in as guest and finds a payment service in the catalog', async ({
  page,
}) => {
  await page.goto('/');

  // Signed in without a click; the sidebar is the portal's, not a stock Backstage app.
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await expect(page).toHaveTitle(/Payments Platform Portal/);

  // Open the catalog from the sidebar and find a demo service by name.
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'Payments Platform Catalog' }),
  ).toBeVisible();
  await page.getByPlaceholder('Search').fill('ledger writer');
  const row = page.getByRole('link', { name: 'Ledger Writer' });
  await expect(row).toBeVisible();

  // Its page shows who owns it, which product it belongs to and its DR tier.
  await row.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/ledger-writer/);
  await expect(
    page.getByRole('heading', { name: 'Ledger Writer' }).first(),
  ).toBeVisible();
  await expect(
    page.locator('a[href$="/catalog/default/group/ledger-team"]').first(),
  ).toBeVisible();
  await expect(
    page.locator('a[href$="/catalog/default/system/ledger"]').first(),
  ).toBeVisible();
  await expect(page.getByText('production').first()).toBeVisible();
});

test('teams of the demo organisation have members', async ({ page }) => {
  await page.goto('/catalog/default/group/ledger-team');
  await expect(
    page.getByRole('heading', { name: 'Ledger' }).first(),
  ).toBeVisible();
  // The members card names her in a heading; the relations graph may name her too, so ask for the heading.
  await expect(
    page.getByRole('heading', { name: 'Grace Adeyemi' }),
  ).toBeVisible();
});
