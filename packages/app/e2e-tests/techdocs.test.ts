import { Page } from '@playwright/test';
import { expect, test } from './portalTest';

/*
 * TechDocs render in the embedded default: a developer opens a golden path's docs from Create,
 * and an on-call engineer reads a service's runbook on its TechDocs tab and follows it to the
 * platform team's procedure for the service's DR tier. The backend builds each site with the
 * machine's mkdocs on its first view (a few seconds), so the first page waits for the build.
 */

/** The rendered MkDocs page: the reader puts it in a shadow root, which locators pierce. */
const docs = (page: Page) =>
  page.locator('[data-testid="techdocs-native-shadowroot"]');

test("a golden path's docs open from Create and explain the form", async ({
  page,
}) => {
  await page.goto('/create');
  const viewDocs = page
    .getByRole('link', { name: 'View TechDocs' })
    .and(page.locator('[href$="/payment-service"]'));
  await expect(viewDocs).toBeVisible({ timeout: 30_000 });
  await viewDocs.click();
  await expect(page).toHaveURL(/\/docs\/default\/template\/payment-service/i);

  const content = docs(page);
  await expect(
    content.getByRole('heading', {
      name: 'Payment service (TypeScript)',
      level: 1,
    }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    content.getByRole('heading', {
      name: /What the form asks, and what each answer becomes/,
    }),
  ).toBeVisible();
  // The tiers table comes from the same drReadiness.tiers the form offers.
  const tierRow = content.getByRole('row').filter({
    has: page.getByRole('cell', { name: 'tier-0', exact: true }),
  });
  await expect(tierRow).toContainText('15 min / 1 min');
});

test('a service runbook opens on its TechDocs tab and leads to its tier procedure', async ({
  page,
}) => {
  await page.goto('/catalog/default/component/ledger-writer');
  // The entity page's tabs are links; the About card's "View TechDocs" goes to the same docs.
  await page.getByRole('link', { name: 'TechDocs', exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/ledger-writer\/docs/,
  );

  const content = docs(page);
  await expect(
    content.getByRole('heading', { name: 'Ledger Writer runbook', level: 1 }),
  ).toBeVisible({ timeout: 60_000 });
  // What an on-call engineer looks for first: the tier with its RTO and RPO, the SLOs, who owns it.
  const tier = content.getByRole('row').filter({
    has: page.getByRole('cell', { name: 'DR tier', exact: true }),
  });
  await expect(tier).toContainText('tier-0');
  await expect(tier).toContainText('RTO 15 minutes, RPO 1 minute');
  await expect(
    content.getByRole('row').filter({ hasText: 'ledger-writes-availability' }),
  ).toContainText('99.99%');
  await expect(
    content.getByRole('heading', { name: /Disaster recovery/ }),
  ).toBeVisible();
  await expect(
    content.getByText('ledger-aurora-prod-global').first(),
  ).toBeVisible();

  // The runbook's link to the tier's procedure opens the DR playbook inside the portal.
  await tier.getByRole('link', { name: 'tier-0 procedure' }).click();
  await expect(page).toHaveURL(
    /\/docs\/default\/group\/platform-team\/tier-0\/?/,
  );
  await expect(
    docs(page).getByRole('heading', {
      name: 'Tier 0 - payment-critical',
      level: 1,
    }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    docs(page).getByRole('heading', { name: /Regional failover to eu-west-1/ }),
  ).toBeVisible();
  await expect(
    docs(page)
      .getByText(/aws rds failover-global-cluster/)
      .first(),
  ).toBeVisible();
});
