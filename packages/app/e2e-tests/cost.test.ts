import { expect, guestToken, test } from './portalTest';

/*
 * A lead reviews cost per product: the Cost page from the sidebar, the demo products with the
 * figures the cost API serves, the unallocated share, and one product's breakdown by service.
 * The backend's address is the one the app itself calls (read from its request), so this runs
 * unchanged against scripts/test.sh's ports (3100/7107) and a portal started by hand.
 */

const DEMO_PRODUCTS = [
  { product: 'card-acquiring', title: 'Card Acquiring' },
  { product: 'payouts', title: 'Payouts' },
  { product: 'wallet', title: 'Wallet' },
  { product: 'fx', title: 'FX' },
  { product: 'ledger', title: 'Ledger' },
];

interface ProductLine {
  product: string;
  title?: string;
  lastFullMonth: number;
  monthToDate: number;
}
interface Overview {
  currency: string;
  totals: { lastFullMonth: number };
  products: ProductLine[];
  unallocated: { lastFullMonth: number; sharePercent: number };
  charges?: {
    lines: Array<{ recordType: string; label: string; lastFullMonth: number }>;
  };
}
interface BreakdownLine {
  key: string;
  lastFullMonth: number;
}

/** As the cost plugin writes amounts (plugins/cost/src/format.ts): whole units from 100 up. */
function formatAmount(amount: number, currency: string): string {
  const digits = Math.abs(amount) >= 100 ? 0 : 2;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
}

/** Every demo product with last month's figures and its catalog title (the catalog may still be ingesting). */
function hasDemoFigures(overview: Overview): boolean {
  return DEMO_PRODUCTS.every(demo =>
    overview.products?.some(
      line =>
        line.product === demo.product &&
        line.lastFullMonth > 0 &&
        line.title === demo.title,
    ),
  );
}

test('a lead opens Cost from the sidebar, compares products and drills into one', async ({
  page,
  request,
  baseURL,
}) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Cost', exact: true }),
  ).toBeVisible();

  const appOverviewCall = page.waitForResponse(
    response =>
      new URL(response.url()).pathname === '/api/cost/overview' &&
      response.request().method() === 'GET',
  );
  await nav.getByRole('link', { name: 'Cost', exact: true }).click();
  await expect(page).toHaveURL(/\/cost$/);
  const appResponse = await appOverviewCall;
  expect(appResponse.status()).toBe(200);
  const backend = new URL(appResponse.url()).origin;

  // The API, asked directly with a guest token; the first refresh may still be running, and the
  // catalog still ingesting the demo's Systems (their titles).
  const token = await guestToken(request, backend, baseURL!);
  const fetchOverview = async (): Promise<Overview> => {
    const response = await request.get(`${backend}/api/cost/overview`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(200);
    return response.json();
  };
  let overview = await fetchOverview();
  await expect
    .poll(async () => hasDemoFigures((overview = await fetchOverview())), {
      message:
        'the cost API serves last month for every demo product, with its catalog title',
      timeout: 60_000,
    })
    .toBe(true);
  if (!hasDemoFigures((await appResponse.json()) as Overview)) {
    await page.reload();
  }

  // Every demo product, by its catalog title, with the figures the API serves.
  const table = page.getByRole('table', { name: 'Cost per product' });
  for (const demo of DEMO_PRODUCTS) {
    const line = overview.products.find(p => p.product === demo.product)!;
    expect(line.title).toBe(demo.title);
    const productLink = table.locator(
      `a[href$="/cost/products/${demo.product}"]`,
    );
    await expect(productLink).toHaveText(demo.title);
    // `has` is matched inside each row, so it must not start from the table again.
    const row = table.getByRole('row').filter({
      has: page.locator(`a[href$="/cost/products/${demo.product}"]`),
    });
    await expect(row).toContainText(
      formatAmount(line.lastFullMonth, overview.currency),
    );
    await expect(row).toContainText(
      formatAmount(line.monthToDate, overview.currency),
    );
  }

  // The headline total and the unallocated share are up front.
  await expect(
    page.getByRole('region', { name: 'Last full month' }),
  ).toContainText(
    formatAmount(overview.totals.lastFullMonth, overview.currency),
  );
  expect(overview.unallocated.sharePercent).toBeGreaterThan(0);
  const unallocated = page.getByRole('region', { name: 'Unallocated spend' });
  await expect(unallocated).toContainText(
    `${overview.unallocated.sharePercent.toFixed(1)}%`,
  );
  await expect(unallocated).toContainText(
    formatAmount(overview.unallocated.lastFullMonth, overview.currency),
  );

  // The demo's pci-scope key is not activated in Billing: named, with the fix, not "unallocated".
  const tagAlert = page.getByRole('alert', { name: 'Cost allocation tags' });
  await expect(tagAlert).toContainText('pci-scope');
  await expect(tagAlert).toContainText('StartCostAllocationTagBackfill');
  // Tax, support and credits are lines of their own, a credit negative.
  const charges = page.getByRole('table', { name: 'Charges no tag can carry' });
  const credit = overview.charges!.lines.find(l => l.recordType === 'Credit')!;
  expect(credit.lastFullMonth).toBeLessThan(0);
  await expect(charges).toContainText(
    formatAmount(credit.lastFullMonth, overview.currency),
  );
  await expect(charges).toContainText('Tax');

  // The lead opens Ledger and sees where its money goes, service by service.
  await table.locator('a[href$="/cost/products/ledger"]').click();
  await expect(page).toHaveURL(/\/cost\/products\/ledger$/);
  await expect(
    page.getByRole('heading', { name: 'Ledger', level: 1 }),
  ).toBeVisible();

  const detailResponse = await request.get(
    `${backend}/api/cost/products/ledger`,
    {
      headers: { Authorization: `Bearer ${token}` },
    },
  );
  expect(detailResponse.status()).toBe(200);
  const detail = (await detailResponse.json()) as {
    currency: string;
    byService: BreakdownLine[];
  };
  const services = detail.byService
    .filter(line => line.key)
    .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
  expect(services.length).toBeGreaterThan(0);

  // Services the catalog knows show by their catalog title, so match each line by its amount.
  const byService = page.getByRole('table', { name: 'Cost by service' });
  await expect(byService).toBeVisible();
  await expect(byService.locator('tbody tr')).toHaveCount(
    Math.min(detail.byService.length, 10),
  );
  for (const service of services.slice(0, 5)) {
    await expect(byService).toContainText(
      formatAmount(service.lastFullMonth, detail.currency),
    );
  }
  await expect(
    byService.locator('a[href$="/catalog/default/component/ledger-writer"]'),
  ).toBeVisible();

  // Back on the Cost page, the unallocated report names where untagged spend comes from.
  await page.getByRole('link', { name: '\u2190 All products' }).click();
  await page
    .getByRole('link', {
      name: 'See unallocated spend by account and AWS service',
    })
    .click();
  await expect(page).toHaveURL(/\/cost\/unallocated$/);
  await expect(
    page.getByRole('region', { name: /^Without a "product"/ }),
  ).toBeVisible();
});

test('an unknown product gets an explanation, not an error', async ({
  page,
}) => {
  await page.goto('/cost/products/no-such-product');
  await expect(
    page.getByText('No cost recorded for product no-such-product'),
  ).toBeVisible();
});
