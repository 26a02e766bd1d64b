import { expect, Page, test } from '@playwright/test';

/*
 * A developer creates a payment service from the golden path in the browser: fills the form,
 * the task runs our actions and publishes a local git repository registered in the catalog,
 * and the new component shows its owner, product and tier, with SLO and DR tabs that answer
 * (not errors). Each run picks a new name, so it runs against a portal started by hand too.
 */

const NAME = `refund-svc-${Date.now().toString(36)}`;

/** Picks an option of an autocomplete (entity and owner pickers) by typing part of its text. */
async function pick(page: Page, label: string, text: string, option: RegExp) {
  const input = page.getByLabel(label, { exact: false }).first();
  await input.click();
  await input.fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

/** Chooses an option of a select rendered by the form. */
async function choose(page: Page, label: string, option: RegExp) {
  await page.getByRole('combobox', { name: new RegExp(label) }).or(page.getByLabel(label).first()).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

test('a developer scaffolds a payment service and finds it in the catalog with its SLO and DR tabs', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/create');
  await expect(page.getByText('Payment service (TypeScript)').first()).toBeVisible({ timeout: 30_000 });
  await page.goto('/create/templates/default/payment-service');

  // The service
  await page.getByLabel('Name', { exact: false }).first().fill(NAME);
  await page.getByLabel('Description', { exact: false }).first().fill('Issues refunds to cards and wallets.');
  await pick(page, 'Owner', 'card', /card.acquiring/i);
  await pick(page, 'Product', 'card', /card.acquiring/i);
  await page.getByRole('button', { name: 'Next' }).click();

  // Risk and recovery: a bad cost centre is refused in the form, naming the format.
  await choose(page, 'DR tier', /Tier 1/);
  await choose(page, 'PCI DSS scope', /Connected/);
  const costCentre = page.getByLabel('Cost centre', { exact: false }).first();
  await costCentre.fill('4410');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/must match pattern/i).first()).toBeVisible();
  await costCentre.fill('CC-4410');
  await page.getByRole('button', { name: 'Next' }).click();

  // Infrastructure: DynamoDB with a queue.
  await choose(page, 'Datastore', /DynamoDB/);
  await page.getByLabel('SQS queue with a dead-letter queue').check();
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(NAME).first()).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs every step and links the new component.
  const open = page.getByRole('link', { name: `Open ${NAME} in the catalog` });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await open.click();

  // The catalog has it with its owner, product and tier (the catalog may need a moment to process it).
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: NAME }).first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText('card-acquiring').first()).toBeVisible();
  await expect(page.getByRole('link', { name: /Card Acquiring/ }).first()).toBeVisible();

  // The DR tab knows its tier and says it has not been scanned yet: not an error.
  await page.getByRole('link', { name: 'DR', exact: true }).click();
  await expect(page.getByText(/Tier 1/).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/RTO/).first()).toBeVisible();
  await expect(page.getByText(/Could not load|Error/i)).toHaveCount(0);

  // The SLO tab shows the two generated SLOs, evaluated live since the service is new.
  await page.getByRole('link', { name: 'SLOs', exact: true }).last().click();
  await expect(page.getByText('2 SLOs')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: `${NAME} availability` })).toBeVisible();
  // Tier 1's latency objective: 99 % of requests under 500 ms.
  await expect(page.getByRole('heading', { name: `${NAME} under 500 ms` })).toBeVisible();
  await expect(page.getByText(/evaluated just now/)).toBeVisible();
});
