import { APIRequestContext } from '@playwright/test';
import { expect, guestToken, openAndFindBackend, test } from './portalTest';

/*
 * A service owner opens the SLO tab of card authorisation, which the demo traffic puts in a fast
 * burn (packages/prometheus-local), and the team records a note in the weekly review that is still
 * there after a reload. The backend evaluates SLOs shortly after startup, so the API is polled
 * (with a guest token, as the app calls it) until the SLO has data. The backend's address is the
 * one the app itself calls, so this runs against scripts/test.sh's ports and a portal started by
 * hand alike.
 */

const COMPONENT = 'card-authorisation-service';
const COMPONENT_REF = `component:default/${COMPONENT}`;
const SLO_NAME = 'card-authorisation-availability';
const SLO_TITLE = 'Card authorisation availability';
const EVALUATION_TIMEOUT = 90_000;

interface SloStatus {
  key: string;
  name: string;
  displayName?: string;
  entityRef: string;
  hasData: boolean;
  burn: { status: string };
}
interface Overview {
  slos: SloStatus[];
}
interface Review {
  week: string;
  groups: Array<{
    lines: Array<{
      slo: { key: string; name: string; entityRef: string };
      notes: Array<{ text: string }>;
    }>;
  }>;
}

/** The SLO API as the guest sees it. */
function sloApi(request: APIRequestContext, backend: string, token: string) {
  const get = async <T>(path: string): Promise<T> => {
    const response = await request.get(`${backend}/api/slo${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status(), `GET /api/slo${path}`).toBe(200);
    return response.json();
  };
  return {
    /** Polls the overview until an SLO (card authorisation availability) was evaluated with data. */
    async evaluatedSlo(
      name = SLO_NAME,
      entityRef = COMPONENT_REF,
    ): Promise<SloStatus> {
      let slo: SloStatus | undefined;
      await expect
        .poll(
          async () => {
            const overview = await get<Overview>('/overview');
            slo = overview.slos.find(
              s => s.name === name && s.entityRef === entityRef,
            );
            return slo?.hasData ?? false;
          },
          {
            message: `the SLO backend evaluated ${name} with data`,
            timeout: EVALUATION_TIMEOUT,
          },
        )
        .toBe(true);
      return slo!;
    },
    review: () => get<Review>('/reviews/current'),
  };
}

test('a service owner sees the fast burn of card authorisation on its SLO tab', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(EVALUATION_TIMEOUT + 90_000);
  const backend = await openAndFindBackend(
    page,
    `/catalog/default/component/${COMPONENT}/slo`,
    '/api/slo/entity',
  );
  const api = sloApi(
    request,
    backend,
    await guestToken(request, backend, baseURL!),
  );
  const slo = await api.evaluatedSlo();
  expect(slo.displayName).toBe(SLO_TITLE);
  expect(slo.burn.status, 'the demo incident burns the budget fast').toBe(
    'page',
  );

  // The tab may have loaded before the first evaluation.
  await page.reload();
  const card = page.getByRole('region', { name: SLO_TITLE, exact: true });
  await expect(card).toBeVisible();
  await expect(card.getByText('fast burn \u2014 page')).toBeVisible();
  await expect(
    card.getByRole('table', { name: `Burn rates of ${SLO_TITLE}` }),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Download Prometheus rules' }),
  ).toBeVisible();
});

test('an SLO with two objectives shows each: the strict one spent, the loose one fine', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(EVALUATION_TIMEOUT + 90_000);
  const title = 'Wallet balance availability';
  const backend = await openAndFindBackend(
    page,
    '/catalog/default/component/wallet-balance-service/slo',
    '/api/slo/entity',
  );
  const api = sloApi(
    request,
    backend,
    await guestToken(request, backend, baseURL!),
  );
  await api.evaluatedSlo(
    'wallet-balance-availability',
    'component:default/wallet-balance-service',
  );

  await page.reload();
  const card = page.getByRole('region', { name: title, exact: true });
  await expect(card).toBeVisible();
  const objectives = card.getByRole('table', {
    name: `Objectives of ${title}`,
  });
  await expect(objectives.getByRole('row')).toHaveCount(3);
  const strict = objectives
    .getByRole('row')
    .filter({ hasText: 'Partner contract' });
  await expect(strict).toContainText('99.98%');
  await expect(strict).toContainText('exhausted');
  const loose = objectives
    .getByRole('row')
    .filter({ hasText: 'Wallet balance availability' });
  await expect(loose).toContainText('99.95%');
  await expect(loose).not.toContainText('exhausted');
});

test('the weekly review keeps a note recorded on an SLO', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(2 * EVALUATION_TIMEOUT + 60_000);
  const backend = await openAndFindBackend(
    page,
    '/slo/review',
    '/api/slo/reviews/current',
  );
  const api = sloApi(
    request,
    backend,
    await guestToken(request, backend, baseURL!),
  );
  const slo = await api.evaluatedSlo();
  // The week's review lists the SLO once a snapshot of this week is stored.
  await expect
    .poll(
      async () =>
        (
          await api.review()
        ).groups.some(group =>
          group.lines.some(line => line.slo.key === slo.key),
        ),
      {
        message: `this week's review lists ${SLO_NAME}`,
        timeout: EVALUATION_TIMEOUT,
      },
    )
    .toBe(true);
  await page.reload();

  const label = slo.displayName ?? slo.name;
  const text = `e2e note ${Date.now().toString(36)}-${Math.random()
    .toString(36)
    .slice(2, 8)}`;
  const form = page.getByRole('form', {
    name: `Add a note or action item to ${label}`,
  });
  await form.getByRole('textbox', { name: 'Note', exact: true }).fill(text);
  const posted = page.waitForResponse(
    response =>
      /^\/api\/slo\/reviews\/[^/]+\/notes$/.test(
        new URL(response.url()).pathname,
      ) && response.request().method() === 'POST',
  );
  await form.getByRole('button', { name: 'Add note', exact: true }).click();
  expect((await posted).status(), 'the note is stored').toBe(201);
  const notes = () => page.getByRole('list', { name: `Notes on ${label}` });
  await expect(notes()).toContainText(text);

  // Stored, not only shown: after a reload the review still lists it.
  await page.reload();
  await expect(notes()).toContainText(text);
  const review = await api.review();
  expect(
    review.groups
      .flatMap(group => group.lines)
      .find(line => line.slo.key === slo.key)
      ?.notes.map(note => note.text),
  ).toContain(text);
});
