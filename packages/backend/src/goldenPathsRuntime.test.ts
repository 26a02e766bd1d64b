/* eslint-disable jest/no-conditional-expect --
 * Each test walks every rendered combination and asserts what applies to that combination (a
 * public hostname, a tier, a datastore); every branch is taken by some combination.
 */
import {
  Answers,
  GOLDEN_COMBINATIONS,
  renderCombinations,
} from './__testUtils__/goldenPaths';

/*
 * What the generated services' own tests cannot see about themselves, checked on the rendered
 * output of every combination: the image carries what the code needs (the RDS CA bundle), the
 * service never migrates or reads the master secret, every AWS client has timeouts, and nothing
 * names an organisation the portal was not configured with.
 */

const rendered = new Map<string, Map<Answers, Map<string, string>>>();

beforeAll(async () => {
  for (const template of Object.keys(GOLDEN_COMBINATIONS))
    rendered.set(template, await renderCombinations(template));
}, 300_000);

/** Every rendered combination, labelled for the assertion message. */
function everyCombination() {
  return [...rendered].flatMap(([template, combinations]) =>
    [...combinations].map(([answers, files]) => ({
      label: `${template} ${JSON.stringify(answers)}`,
      answers,
      files,
    })),
  );
}

/** The service's own source (not its tests), file -> text. */
function sources(files: Map<string, string>) {
  return [...files].filter(([file]) => /^src\/.*\.ts$/.test(file));
}

describe('golden paths: what the generated service runs with', () => {
  it('bakes the RDS CA bundle into the Aurora image and makes the service verify the server with it (defect 1)', () => {
    for (const { label, answers, files } of everyCombination()) {
      const dockerfile = files.get('Dockerfile')!;
      const aurora = answers.datastore === 'aurora-postgresql';
      const bundle =
        /^ADD (--chmod=0644 )?https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem \/etc\/ssl\/certs\/rds-global-bundle\.pem$/m;
      expect([label, bundle.test(dockerfile)]).toEqual([label, aurora]);
      expect([
        label,
        /^ENV DATABASE_CA_FILE=\/etc\/ssl\/certs\/rds-global-bundle\.pem$/m.test(
          dockerfile,
        ),
      ]).toEqual([label, aurora]);
      if (!aurora) continue;
      const datastore = files.get('src/datastore.ts')!;
      expect(datastore).toContain('DATABASE_CA_FILE');
      expect(datastore).toMatch(/rejectUnauthorized:\s*true/);
      expect(datastore).not.toMatch(/rejectUnauthorized:\s*false/);
    }
  });

  it('connects the app with IAM authentication as its own role and never reads the master secret (defect 1)', () => {
    for (const { label, answers, files } of everyCombination()) {
      const app = sources(files).filter(([file]) => file !== 'src/migrate.ts');
      const readsSecret = app
        .filter(([, text]) =>
          /DATABASE_MASTER_SECRET_ARN|DATABASE_SECRET_ARN/.test(text),
        )
        .map(([file]) => file);
      // datastore.ts holds the master connection the migration Job (src/migrate.ts) calls.
      expect([
        label,
        readsSecret.filter(f => f !== 'src/datastore.ts'),
      ]).toEqual([label, []]);
      expect([label, files.has('src/migrate.ts')]).toEqual([
        label,
        answers.datastore === 'aurora-postgresql',
      ]);
      if (answers.datastore !== 'aurora-postgresql') continue;
      const datastore = files.get('src/datastore.ts')!;
      expect(datastore).toContain("from '@aws-sdk/rds-signer'");
      expect(datastore).toMatch(/getAuthToken\(/);
      expect(datastore).toContain('DATABASE_USER');
      const packageJson = JSON.parse(files.get('package.json')!);
      expect(packageJson.dependencies).toHaveProperty('@aws-sdk/rds-signer');
    }
  });

  it('never migrates from the service itself: only the migration Job does, against the writer (defect 3)', () => {
    for (const { label, files } of everyCombination()) {
      const main = files.get('src/main.ts')!;
      expect([label, /\.migrate\(\)/.test(main)]).toEqual([label, false]);
      const migrate = files.get('src/migrate.ts');
      if (migrate)
        expect([label, /\.migrate\(/.test(migrate)]).toEqual([label, true]);
    }
  });

  it('builds every AWS SDK client from the one configuration that sets its timeouts', () => {
    for (const { label, files } of everyCombination()) {
      const untimed = sources(files).flatMap(([file, text]) =>
        [...text.matchAll(/new (\w+Client)\(([^)]*)\)?/g)]
          .filter(([, , args]) => !/awsClientConfig\(/.test(args ?? ''))
          // The pg Pool / Kafka are not AWS clients.
          .map(([call]) => `${file}: ${call}`),
      );
      expect([label, untimed]).toEqual([label, []]);
      expect(files.get('src/aws.ts')).toMatch(/requestTimeout/);
    }
  });

  it('names no organisation or account the portal was not given (no hard-coded slugs)', () => {
    for (const { label, files } of everyCombination()) {
      const slugged = [...files]
        .filter(([, text]) => /payments-example|example-payments/.test(text))
        .map(([file]) => file);
      expect([label, slugged]).toEqual([label, []]);
      // Published locally (the dry-run), the entity has no GitHub slug to point at.
      expect(files.get('catalog-info.yaml')).not.toContain(
        'github.com/project-slug',
      );
    }
  });
});
