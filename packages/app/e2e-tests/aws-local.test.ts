import { expect, test } from './portalTest';

/*
 * The start command runs the loopback AWS endpoint with the demo estate before the backend.
 * scripts/test.sh passes its address as AWS_LOCAL_URL.
 */
const awsLocal = process.env.AWS_LOCAL_URL;

test('the start command serves the demo AWS estate on loopback, and only to signed requests', async ({
  request,
}) => {
  test.skip(
    !awsLocal,
    'AWS_LOCAL_URL is set by scripts/test.sh, which runs the start command',
  );
  const estate = await (
    await request.get(`${awsLocal}/_aws-local/estate`)
  ).json();
  expect(estate.accounts.map((a: { name: string }) => a.name)).toEqual([
    'prod',
    'staging',
    'shared',
  ]);
  expect(estate.asOf).toBe(new Date().toISOString().slice(0, 10));
  expect(estate.untaggedSharePercent).toBeGreaterThan(7);

  const unsigned = await request.post(`${awsLocal}/`, {
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage',
    },
    data: '{}',
  });
  expect(unsigned.status()).toBe(403);
  expect((await unsigned.json()).__type).toBe(
    'MissingAuthenticationTokenException',
  );
});
