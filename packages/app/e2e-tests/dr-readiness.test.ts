import { expect, test } from './portalTest';
import fs from 'node:fs';

/*
 * An auditor (or a team lead) checks DR readiness: the scorecard from the sidebar, a failing
 * cell that explains itself, the service's DR tab with the failing control's evidence (the AWS
 * calls and the SHA-256), and the evidence pack downloaded as JSON. The first scan runs about
 * ten seconds after the backend starts (drReadiness.schedule.initialDelaySeconds), possibly while
 * the catalog is still loading the demo organisation; the services it had not loaded yet are
 * scanned by the catch-up within a minute of the catalog having them (drReadiness.catchUp).
 */

const SERVICE = 'card-tokenisation-vault';
const CONTROL = 'DynamoDB point-in-time recovery';

test('the scorecard shows a failing service, its DR tab shows the evidence, and the evidence pack downloads', async ({
  page,
}) => {
  test.setTimeout(210_000);
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'DR readiness', exact: true }).click();
  await expect(page).toHaveURL(/\/dr-readiness/);

  // The first scan, or the catch-up of the services the catalog had not loaded by then, may still
  // be to come when the page opens: reload until the cell is there.
  const cell = page.getByRole('button', {
    name: `${SERVICE} \u2013 ${CONTROL}: fail`,
  });
  await expect(async () => {
    await page.reload();
    await expect(cell).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000 });

  // The red cell explains itself: what was found and how to fix it.
  await cell.click();
  const dialog = page.getByRole('dialog', {
    name: `${SERVICE} \u2013 ${CONTROL}`,
  });
  await expect(dialog.getByText('What the scan found')).toBeVisible();
  await expect(
    dialog.getByText(/point-in-time recovery disabled/),
  ).toBeVisible();
  await expect(dialog.getByText('How to fix')).toBeVisible();
  await expect(
    dialog.getByText(/point_in_time_recovery/).first(),
  ).toBeVisible();

  // Its DR tab opens on that control's evidence: the AWS call behind it and the hash.
  await dialog
    .getByRole('link', { name: `Evidence on the DR tab of ${SERVICE}` })
    .click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${SERVICE}/dr`),
  );
  const evidence = page.getByRole('group', { name: `Evidence for ${CONTROL}` });
  await expect(evidence).toBeVisible({ timeout: 20_000 });
  await expect(evidence.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
  const calls = page.getByRole('table', {
    name: `AWS API calls for ${CONTROL}`,
  });
  await expect(
    calls.getByText('DescribeContinuousBackups').first(),
  ).toBeVisible();

  // The evidence pack of the service downloads as JSON, with a hash on every record.
  const download = page.waitForEvent('download');
  await page
    .getByRole('link', { name: `Export the evidence of ${SERVICE} as JSON` })
    .click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    new RegExp(
      `^dr-evidence-component-default-${SERVICE}-\\d{4}-\\d{2}-\\d{2}\\.json$`,
    ),
  );
  const pack = JSON.parse(fs.readFileSync((await file.path())!, 'utf8'));
  expect(pack.scope).toEqual({ entityRef: `component:default/${SERVICE}` });
  const record = pack.records.find((r: any) => r.controlId === 'dynamodb-pitr');
  expect(record).toMatchObject({
    status: 'fail',
    evidenceHash: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(record.calls.map((c: any) => c.operation)).toContain(
    'DescribeContinuousBackups',
  );
});
