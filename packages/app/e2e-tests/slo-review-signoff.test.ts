import { APIRequestContext } from '@playwright/test';
import { expect, guestToken, openAndFindBackend, test } from './portalTest';

/*
 * The weekly review as a workflow: the guest (an SLO reviewer in the embedded default) adds an
 * action item with an owner and a due date to card authorisation's line, signs off the card
 * acquiring team's section, reloads, and finds both stored. The backend evaluates SLOs shortly
 * after startup, so the API is polled (with a guest token, as the app calls it) until this week's
 * review lists the SLO. Against a portal started by hand where the section was signed off
 * already, the sign-off shown is checked instead of a second one (one per team and week).
 */

const SLO_NAME = 'card-authorisation-availability';
const COMPONENT_REF = 'component:default/card-authorisation-service';
const TEAM = 'card-acquiring-team';
const EVALUATION_TIMEOUT = 90_000;

interface Review {
  week: string;
  groups: Array<{
    team?: string;
    signOff?: { signedBy: string };
    lines: Array<{
      slo: {
        key: string;
        name: string;
        displayName?: string;
        entityRef: string;
      };
    }>;
  }>;
}

async function currentReview(
  request: APIRequestContext,
  backend: string,
  token: string,
): Promise<Review> {
  const response = await request.get(`${backend}/api/slo/reviews/current`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status(), 'GET /api/slo/reviews/current').toBe(200);
  return response.json();
}

test('a team signs off its section of the weekly review, with an action item that has an owner and a due date', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(EVALUATION_TIMEOUT + 90_000);
  const backend = await openAndFindBackend(
    page,
    '/slo/review',
    '/api/slo/reviews/current',
  );
  const token = await guestToken(request, backend, baseURL!);
  let label = '';
  await expect
    .poll(
      async () => {
        const review = await currentReview(request, backend, token);
        const line = review.groups
          .flatMap(g => g.lines)
          .find(
            l => l.slo.name === SLO_NAME && l.slo.entityRef === COMPONENT_REF,
          );
        label = line ? line.slo.displayName ?? line.slo.name : '';
        return Boolean(line);
      },
      {
        message: `this week's review lists ${SLO_NAME}`,
        timeout: EVALUATION_TIMEOUT,
      },
    )
    .toBe(true);
  await page.reload();

  // An action item with an owner and a due date a week ahead.
  const text = `e2e action ${Date.now().toString(36)}-${Math.random()
    .toString(36)
    .slice(2, 8)}`;
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const form = page.getByRole('form', {
    name: `Add a note or action item to ${label}`,
  });
  await form.getByRole('button', { name: 'Action item', exact: true }).click();
  await form
    .getByRole('textbox', { name: 'Action item', exact: true })
    .fill(text);
  await form
    .getByRole('textbox', { name: /Owner/ })
    .fill(`group:default/${TEAM}`);
  await form.getByLabel(/Due date/).fill(due);
  const posted = page.waitForResponse(
    response =>
      /^\/api\/slo\/reviews\/[^/]+\/notes$/.test(
        new URL(response.url()).pathname,
      ) && response.request().method() === 'POST',
  );
  await form
    .getByRole('button', { name: 'Add action item', exact: true })
    .click();
  expect((await posted).status(), 'the action item is stored').toBe(201);

  // The team's sign-off of its section (once per team and week).
  const signOff = page.getByRole('status', { name: `Sign-off of ${TEAM}` });
  const signOffButton = page.getByRole('button', {
    name: `Sign off ${TEAM}`,
    exact: true,
  });
  if (await signOffButton.isVisible()) {
    const signed = page.waitForResponse(
      response =>
        /^\/api\/slo\/reviews\/[^/]+\/sign-offs$/.test(
          new URL(response.url()).pathname,
        ) && response.request().method() === 'POST',
    );
    await signOffButton.click();
    expect((await signed).status(), 'the sign-off is stored').toBe(201);
  }
  await expect(signOff).toContainText('Signed off by');

  // Stored, not only shown: after a reload both are still there.
  await page.reload();
  await expect(signOff).toContainText('Signed off by');
  await expect(signOffButton).toHaveCount(0);
  const item = page
    .getByRole('list', { name: `Notes on ${label}` })
    .getByRole('listitem')
    .filter({ hasText: text });
  await expect(item).toContainText(`owner group:default/${TEAM}`);
  await expect(item).toContainText(`due ${due}`);
  const review = await currentReview(request, backend, token);
  expect(
    review.groups.find(g => g.team === `group:default/${TEAM}`)?.signOff,
    'the API has the sign-off',
  ).toBeDefined();
});
