import { Page } from '@playwright/test';
import { expect, test } from './portalTest';

/*
 * A developer creates a service from each golden path in the browser: fills the form, the task
 * runs our actions and publishes a local git repository registered in the catalog, and the new
 * component shows its owner, product and tier, with SLO and DR tabs that answer (not errors).
 * Each run picks new names, so it runs against a portal started by hand too.
 */

const RUN = Date.now().toString(36);

/** Picks an option of an autocomplete (entity and owner pickers) by typing part of its text. */
async function pick(page: Page, label: string, text: string, option: RegExp) {
  const input = page.getByLabel(label, { exact: false }).first();
  await input.click();
  await input.fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

/** Chooses an option of a select rendered by the form. */
async function choose(page: Page, label: string, option: RegExp) {
  await page
    .getByRole('combobox', { name: new RegExp(label) })
    .or(page.getByLabel(label).first())
    .first()
    .click();
  await page.getByRole('option', { name: option }).first().click();
}

interface GoldenPathRun {
  template: string;
  title: string;
  name: string;
  description: string;
  tier: RegExp;
  /** How many SLOs the template writes (an event consumer adds freshness). */
  slos: number;
  /** The third page (infrastructure), filled by the test; the fourth (objectives) is left empty. */
  infrastructure(page: Page): Promise<void>;
}

/** Fills the form's first two pages, lets the test fill the third, creates, and opens the new component. */
async function scaffold(page: Page, run: GoldenPathRun) {
  await page.goto('/create');
  await expect(page.getByText(run.title).first()).toBeVisible({
    timeout: 30_000,
  });
  await page.goto(`/create/templates/default/${run.template}`);

  await page.getByLabel('Name', { exact: false }).first().fill(run.name);
  await page
    .getByLabel('Description', { exact: false })
    .first()
    .fill(run.description);
  await pick(page, 'Owner', 'card', /card.acquiring/i);
  await pick(page, 'Product', 'card', /card.acquiring/i);
  await page.getByRole('button', { name: 'Next' }).click();

  // Risk and recovery: a bad cost centre is refused in the form, naming the format.
  await choose(page, 'DR tier', run.tier);
  await choose(page, 'PCI DSS scope', /Connected/);
  const costCentre = page.getByLabel('Cost centre', { exact: false }).first();
  await costCentre.fill('4410');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/must match pattern/i).first()).toBeVisible();
  await costCentre.fill('CC-4410');
  await page.getByRole('button', { name: 'Next' }).click();

  await run.infrastructure(page);
  // Objectives (optional), the last page: empty keeps the tier's SLOs.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Availability target (%)')).toBeVisible();
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(run.name).first()).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task runs every step and links the new component.
  const open = page.getByRole('link', {
    name: `Open ${run.name} in the catalog`,
  });
  await expect(open).toBeVisible({ timeout: 120_000 });
  await open.click();

  // The catalog has it with its owner, product and tier (the catalog may need a moment to process it).
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('heading', { name: run.name }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText('card-acquiring').first()).toBeVisible();
  await expect(
    page.getByRole('link', { name: /Card Acquiring/ }).first(),
  ).toBeVisible();

  // The DR tab knows its tier (scanned or still waiting for the catch-up a minute away): not an error.
  await page.getByRole('link', { name: 'DR', exact: true }).click();
  await expect(page.getByText(run.tier).first()).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByText(/RTO/).first()).toBeVisible();
  await expect(page.getByText(/Could not load|Error/i)).toHaveCount(0);

  // The SLO tab shows the generated SLOs, evaluated live since the service is new.
  await page.getByRole('link', { name: 'SLOs', exact: true }).last().click();
  await expect(page.getByText(`${run.slos} SLOs`)).toBeVisible({
    timeout: 20_000,
  });
  await expect(
    page.getByRole('heading', { name: `${run.name} availability` }),
  ).toBeVisible();
  await expect(page.getByText(/evaluated just now/)).toBeVisible();
}

test('a developer scaffolds a payment service and finds it in the catalog with its SLO and DR tabs', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const name = `refund-svc-${RUN}`;
  await scaffold(page, {
    template: 'payment-service',
    title: 'Payment service (TypeScript)',
    name,
    description: 'Issues refunds to cards and wallets.',
    tier: /Tier 1/,
    slos: 2,
    infrastructure: async () => {
      await choose(page, 'Datastore', /DynamoDB/);
      await page.getByLabel('SQS queue with a dead-letter queue').check();
    },
  });
  // Tier 1's latency objective for an HTTP service: 99 % of requests under 500 ms.
  await expect(
    page.getByRole('heading', { name: `${name} under 500 ms` }),
  ).toBeVisible();
});

test('a developer scaffolds a payments event consumer on SQS and finds it in the catalog with its SLO and DR tabs', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const name = `settle-events-${RUN}`;
  await scaffold(page, {
    template: 'payment-event-consumer',
    title: 'Payments event consumer (TypeScript)',
    name,
    description: 'Settles card payments from the acquirer events.',
    tier: /Tier 2/,
    slos: 3,
    infrastructure: async () => {
      await choose(page, 'Event source', /Amazon SQS/);
      await choose(page, 'Processed-events store', /DynamoDB/);
    },
  });
  // Tier 2's latency objective for an event consumer: messages processed within 2.5 s.
  await expect(
    page.getByRole('heading', { name: `${name} under 2500 ms` }),
  ).toBeVisible();
  // Tier 2's freshness objective (consumer lag): messages handled within 5 minutes of being sent.
  await expect(
    page.getByRole('heading', {
      name: `${name} messages handled within 300 s`,
    }),
  ).toBeVisible();
});
