import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, guestToken, openAndFindBackend, test } from './portalTest';

/*
 * Day 2 in the browser: a service made from the payment-service golden path falls behind when
 * the template releases its next version; its team upgrades it from the Component page, reviews
 * the proposed change as a diff and merges it, and the fleet page then shows it current.
 * The next version is released in the templates history the test command's portal reads
 * (scripts/e2e.sh: E2E_TEMPLATES_REPO), never in this repository.
 */

const RUN = Date.now().toString(36);
const TEMPLATES_REPO = process.env.E2E_TEMPLATES_REPO;

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Template author',
  GIT_AUTHOR_EMAIL: 'platform@payments.example',
  GIT_COMMITTER_NAME: 'Template author',
  GIT_COMMITTER_EMAIL: 'platform@payments.example',
};

/** Releases payment-service's next patch version with a new base image; returns the version. */
function releaseNextVersion(repo: string): string {
  const templateFile = path.join(repo, 'templates', 'payment-service.yaml');
  const text = fs.readFileSync(templateFile, 'utf8');
  const current = /templateVersion: '(\d+)\.(\d+)\.(\d+)'/.exec(text);
  if (!current) throw new Error(`no templateVersion in ${templateFile}`);
  const next = `${current[1]}.${current[2]}.${Number(current[3]) + 1}`;
  fs.writeFileSync(
    templateFile,
    text.replace(current[0], `templateVersion: '${next}'`),
  );
  const dockerfile = path.join(repo, 'templates/skeletons/common/Dockerfile');
  fs.writeFileSync(
    dockerfile,
    fs
      .readFileSync(dockerfile, 'utf8')
      .replace(/node:22\.\d+\.\d+-bookworm-slim/, 'node:22.99.0-bookworm-slim'),
  );
  execFileSync('git', ['add', '--all'], { cwd: repo, env: gitEnv });
  execFileSync(
    'git',
    ['commit', '--quiet', '--no-verify', '-m', `payment-service ${next}`],
    { cwd: repo, env: gitEnv },
  );
  return next;
}

test('a team upgrades its service from the Component page, reviews the diff, merges, and the fleet shows it current', async ({
  page,
  request,
  baseURL,
}) => {
  test.skip(
    !TEMPLATES_REPO,
    'needs the templates history the test command starts the portal with (E2E_TEMPLATES_REPO)',
  );
  test.setTimeout(240_000);
  const name = `upgrade-svc-${RUN}`;

  // The service, made from today's golden path through the scaffolder's API.
  const backend = await openAndFindBackend(
    page,
    '/golden-paths',
    '/api/golden-paths/fleet',
  );
  const token = await guestToken(request, backend, baseURL!);
  const headers = { Authorization: `Bearer ${token}` };
  const created = await request.post(`${backend}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/payment-service',
      values: {
        name,
        description: 'Issues refunds to cards and wallets.',
        owner: 'group:default/card-acquiring-team',
        system: 'system:default/card-acquiring',
        tier: 'tier-2',
        pciScope: 'connected',
        dataClassification: 'restricted',
        costCentre: 'CC-4410',
        regionPair: 'eu-west-2/eu-west-1',
        datastore: 'dynamodb',
        queue: false,
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const taskId = (await created.json()).id;
  await expect(async () => {
    const task = await request.get(
      `${backend}/api/scaffolder/v2/tasks/${taskId}`,
      { headers },
    );
    expect((await task.json()).status).toBe('completed');
  }).toPass({ timeout: 120_000 });

  // The golden path moves on.
  const next = releaseNextVersion(TEMPLATES_REPO!);

  // The Component page offers the upgrade (the catalog may need a moment to process the service).
  const upgrade = page.getByRole('button', { name: `Upgrade to ${next}` });
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}`);
    await expect(upgrade).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await upgrade.click();

  // The upgrade page: nothing new to answer for a patch; propose the change.
  await expect(
    page.getByRole('heading', { name: new RegExp(`Upgrade ${name}`) }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Propose change' }).click();

  // The scaffolder runs the proposal and links it.
  const review = page.getByRole('link', { name: 'Review the proposed change' });
  await expect(review).toBeVisible({ timeout: 120_000 });
  await review.click();

  // The proposed change: the new base image as a diff, no conflicts; merge it.
  await expect(page.getByText('Dockerfile').first()).toBeVisible();
  await expect(
    page.getByText('node:22.99.0-bookworm-slim').first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Merge into main' }).click();
  await expect(page.getByText(/merged/i).first()).toBeVisible();

  // The fleet shows the service at the new version, current.
  await page.goto('/golden-paths');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row.getByText(next).first()).toBeVisible();
  await expect(row.getByText(/current/i)).toBeVisible();
});
