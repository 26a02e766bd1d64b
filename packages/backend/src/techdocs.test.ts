import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  assertMkdocsWithMaterial,
  buildTechDocs,
  BuiltTechDocs,
} from './__testUtils__/techdocs';

/*
 * Every TechDocs site of the repository - the demo services' runbooks, the platform team's DR
 * playbook, the golden paths' docs and the portal's runbook - built as the embedded default
 * builds it on a first view (TechDocs generator, app-config.yaml's settings, Debian's mkdocs and
 * no techdocs-core), its links resolved, and the runbooks checked against what they describe:
 * each Component's tier, RTO and RPO (drReadiness.tiers), owner and SLOs (catalog/slos).
 */

const REPO = resolvePackagePath('backend', '../..');
const TECHDOCS_REF = 'backstage.io/techdocs-ref';
const PLAYBOOK = 'group:default/platform-team';

interface Tier {
  id: string;
  rtoMinutes: number;
  rpoMinutes: number;
  controls: Array<{ id: string }>;
}
const tiers: Tier[] = yaml.parse(
  fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
).drReadiness.tiers;

interface CatalogEntity {
  entity: Entity;
  file: string;
  ref: string;
}

/** The entities of a catalog file, and of the files its Location targets, recursively. */
function readCatalog(file: string): CatalogEntity[] {
  return yaml
    .parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(doc => doc.toJS() as Entity)
    .flatMap(entity => {
      if (entity.kind === 'Location') {
        const targets = (entity.spec?.targets as string[]) ?? [];
        return targets.flatMap(target =>
          readCatalog(path.resolve(path.dirname(file), target)),
        );
      }
      const ref = `${entity.kind.toLocaleLowerCase('en-US')}:default/${
        entity.metadata.name
      }`;
      return [{ entity, file, ref }];
    });
}

// What app-config.yaml registers: the demo organisation, the portal itself, the golden paths.
const catalog = ['catalog/all.yaml', 'catalog-info.yaml', 'templates/all.yaml']
  .map(file => path.join(REPO, file))
  .flatMap(readCatalog);
const byRef = new Map(catalog.map(e => [e.ref, e]));
const components = catalog.filter(e => e.entity.kind === 'Component');

/** The docs directory a `dir:` annotation points at, relative to the entity's file. */
function docsDir({ entity, file }: CatalogEntity): string {
  const ref = entity.metadata.annotations?.[TECHDOCS_REF] ?? '';
  if (!ref.startsWith('dir:'))
    throw new Error(`${file}: ${entity.metadata.name} has no ${TECHDOCS_REF}`);
  return path.resolve(path.dirname(file), ref.slice('dir:'.length));
}
const sites = catalog.filter(
  e => e.entity.metadata.annotations?.[TECHDOCS_REF],
);
const page = (site: CatalogEntity, name = 'index') =>
  fs.readFileSync(path.join(docsDir(site), 'docs', `${name}.md`), 'utf8');

/** "15 minutes", "1 minute", "4 hours": how the runbooks and the playbook write a duration. */
function duration(minutes: number): string {
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
/** "15 min", "4 h": the golden paths' shorter form. */
const shortDuration = (minutes: number) =>
  minutes >= 120 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;

interface Slo {
  name: string;
  service: string;
  percent: number;
  window: string;
}
/** The OpenSLO SLOs a Component's annotation points at. */
function slosOf({ entity, file }: CatalogEntity): Slo[] {
  const target =
    entity.metadata.annotations?.['payments-platform/slo-definitions'];
  if (!target) return [];
  return yaml
    .parseAllDocuments(
      fs.readFileSync(path.resolve(path.dirname(file), target), 'utf8'),
    )
    .map(doc => doc.toJS())
    .filter(doc => doc?.kind === 'SLO')
    .map(doc => {
      const objective = doc.spec.objectives[0];
      return {
        name: doc.metadata.name,
        service: doc.spec.service,
        percent:
          objective.targetPercent ?? Math.round(objective.target * 10000) / 100,
        window: doc.spec.timeWindow[0].duration,
      };
    });
}
const allSloNames = new Set(components.flatMap(slosOf).map(slo => slo.name));

it('gives every demo service, the DR playbook and both golden paths their docs', () => {
  expect(components.length).toBeGreaterThanOrEqual(16);
  const withDocs = new Set(sites.map(site => site.ref));
  expect(components.map(c => c.ref).filter(ref => !withDocs.has(ref))).toEqual(
    [],
  );
  expect(withDocs).toContain(PLAYBOOK);
  expect(withDocs).toContain('template:default/payment-service');
  expect(withDocs).toContain('template:default/payment-event-consumer');
});

describe('TechDocs of the embedded default', () => {
  const built = new Map<string, BuiltTechDocs | Error>();
  /** A site's build, or its build error thrown in the test about it. */
  const site = (ref: string): BuiltTechDocs => {
    const result = built.get(ref);
    if (result instanceof Error) throw result;
    if (!result) throw new Error(`${ref} was not built`);
    return result;
  };

  beforeAll(async () => {
    assertMkdocsWithMaterial();
    for (const docs of sites) {
      built.set(
        docs.ref,
        await buildTechDocs(
          docsDir(docs),
          docs.entity.metadata.title ?? docs.entity.metadata.name,
        ).catch((error: Error) => error),
      );
    }
  }, 240_000);

  it.each(sites.map(docs => [docs.ref, docs] as const))(
    'builds %s with Material and leaves its mkdocs.yml as committed',
    (ref, docs) => {
      const result = site(ref);
      const committed = fs.readFileSync(
        path.join(docsDir(docs), 'mkdocs.yml'),
        'utf8',
      );
      // The backend builds dir: annotations in place: its rewrite must change nothing.
      expect(result.mkdocsYmlAfter).toBe(committed);
      expect(committed).not.toMatch(/techdocs-core/);
      expect(result.warnings).toEqual([]);
      const html = fs.readFileSync(
        path.join(result.outputDir, 'index.html'),
        'utf8',
      );
      // Material's layout, which the TechDocs reader transforms, with the page's own heading.
      expect(html).toContain('class="md-content"');
      const heading = /^# (.+)$/m.exec(page(docs))![1];
      const h1 = /<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1] ?? '';
      expect(h1.replace(/<a [^>]*>.*?<\/a>/g, '').trim()).toBe(heading);
      expect(
        fs.existsSync(
          path.join(result.outputDir, 'search', 'search_index.json'),
        ),
      ).toBe(true);
    },
  );

  it('links only to pages, headings and entities that exist', () => {
    const problems: string[] = [];
    /** The heading ids of a built page ('' is the site's index). */
    const ids = (result: BuiltTechDocs, pageName: string) => {
      const file = path.join(result.outputDir, pageName, 'index.html');
      if (!fs.existsSync(file)) return undefined;
      return new Set(
        [...fs.readFileSync(file, 'utf8').matchAll(/ id="([^"]+)"/g)].map(
          m => m[1],
        ),
      );
    };
    const check = (
      where: string,
      ref: string,
      pageName: string,
      anchor?: string,
    ) => {
      const result = built.get(ref);
      if (result instanceof Error) return; // its own build test says why
      const found = result && ids(result, pageName);
      if (!found)
        problems.push(`${where}: no page ${pageName || '/'} of ${ref}`);
      else if (anchor && !found.has(anchor))
        problems.push(`${where}: no heading #${anchor} on ${ref} ${pageName}`);
    };
    for (const docs of sites) {
      const dir = path.join(docsDir(docs), 'docs');
      for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.md'))) {
        const where = path.relative(REPO, path.join(dir, file));
        const own = file === 'index.md' ? '' : file.replace(/\.md$/, '');
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
          const [target, anchor] = link.split('#');
          const docsLink =
            /^\/docs\/default\/([a-z]+)\/([a-z0-9-]+)\/(?:([a-z0-9-]+)\/)?$/.exec(
              target,
            );
          const entityLink =
            /^\/catalog\/default\/([a-z]+)\/([a-z0-9-]+)(\/(slo|dr|docs))?$/.exec(
              target,
            );
          if (docsLink)
            check(
              where,
              `${docsLink[1]}:default/${docsLink[2]}`,
              docsLink[3] ?? '',
              anchor,
            );
          else if (entityLink) {
            if (!byRef.has(`${entityLink[1]}:default/${entityLink[2]}`))
              problems.push(`${where}: no entity ${target}`);
          } else if (/^[a-z0-9-]+\.md$/.test(target))
            check(
              where,
              docs.ref,
              target === 'index.md' ? '' : target.replace(/\.md$/, ''),
              anchor,
            );
          else if (target === '') check(where, docs.ref, own, anchor);
          else if (
            !['/dr-readiness', '/slo', '/slo/review', '/cost'].includes(target)
          )
            problems.push(`${where}: unexpected link ${link}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the runbooks', () => {
  it.each(components.map(c => [c.entity.metadata.name, c] as const))(
    '%s states its tier, owner and SLOs as the catalog and config do',
    (_name, component) => {
      const text = page(component);
      const tierId = component.entity.metadata.annotations?.[
        'payments-platform/dr-tier'
      ] as string;
      const tier = tiers.find(t => t.id === tierId)!;
      expect(tier).toBeDefined();
      expect(text).toContain(`\`${component.entity.metadata.name}\``);
      expect(text).toContain(`**${tier.id}**`);
      expect(text).toContain(`RTO **${duration(tier.rtoMinutes)}**`);
      expect(text).toContain(`RPO **${duration(tier.rpoMinutes)}**`);
      expect(text).toContain(`/docs/default/group/platform-team/${tier.id}/`);
      expect(text).toContain(
        `/catalog/default/group/${component.entity.spec?.owner}`,
      );

      const slos = slosOf(component).filter(
        slo => slo.service === component.entity.metadata.name,
      );
      for (const slo of slos) {
        const row = text
          .split('\n')
          .find(line => line.startsWith(`| \`${slo.name}\``));
        expect(row).toBeDefined();
        expect(row).toContain(`${slo.percent}%`);
        expect(row).toContain(`(\`${slo.window}\``);
      }
      // No SLO of another service, and none that no longer exists.
      const mentioned = [...text.matchAll(/^\| `([a-z0-9-]+)`/gm)]
        .map(m => m[1])
        .filter(name => /-(availability|latency)$/.test(name));
      expect(mentioned.sort()).toEqual(slos.map(slo => slo.name).sort());
      mentioned.forEach(name => expect(allSloNames).toContain(name));
      // A service without SLOs says so rather than leaving the section out.
      expect(/None defined/.test(text)).toBe(slos.length === 0);
    },
  );
});

describe('the DR playbook', () => {
  const playbook = byRef.get(PLAYBOOK)!;

  it('lists every service under its tier, and each tier with its RTO and RPO', () => {
    const index = page(playbook);
    for (const tier of tiers) {
      const rows = index
        .split('\n')
        .filter(line => line.startsWith(`| ${tier.id} `));
      const listed = rows.flatMap(row =>
        [...row.matchAll(/\/docs\/default\/component\/([a-z0-9-]+)\//g)].map(
          m => m[1],
        ),
      );
      const expected = components
        .filter(
          c =>
            c.entity.metadata.annotations?.['payments-platform/dr-tier'] ===
            tier.id,
        )
        .map(c => c.entity.metadata.name);
      expect(listed.sort()).toEqual(expected.sort());
    }
    // The tiers table: one row per tier, in config order, with its RTO and RPO.
    const tierTable = index
      .split('\n')
      .filter(line => /^\| \[tier-\d\]/.test(line));
    expect(tierTable).toHaveLength(tiers.length);
    tiers.forEach((tier, i) => {
      const cells = tierTable[i].split('|').map(cell => cell.trim());
      expect(cells[1]).toContain(`[${tier.id}]`);
      expect(cells.slice(2, 4)).toEqual([
        duration(tier.rtoMinutes),
        duration(tier.rpoMinutes),
      ]);
    });
  });

  it.each(tiers.map(tier => [tier.id, tier] as const))(
    'names exactly the controls %s requires',
    (_id, tier) => {
      const text = page(playbook, tier.id);
      const controls = [...text.matchAll(/^\| `([a-z0-9-]+)` /gm)].map(
        m => m[1],
      );
      expect(controls.sort()).toEqual(tier.controls.map(c => c.id).sort());
      expect(text).toMatch(
        new RegExp(`\\| RTO +\\| \\*\\*${duration(tier.rtoMinutes)}\\*\\*`),
      );
      expect(text).toMatch(
        new RegExp(`\\| RPO +\\| \\*\\*${duration(tier.rpoMinutes)}\\*\\*`),
      );
    },
  );
});

describe("the golden paths' docs", () => {
  it.each(['payment-service', 'payment-event-consumer'])(
    '%s explains every field of its form and every tier',
    name => {
      const template = byRef.get(`template:default/${name}`)!;
      const text = page(template);
      const fields = (
        template.entity.spec?.parameters as Array<{
          properties: Record<string, { title: string }>;
        }>
      ).flatMap(step => Object.values(step.properties).map(p => p.title));
      expect(fields.length).toBeGreaterThan(8);
      for (const field of fields)
        expect(text).toMatch(
          new RegExp(`^\\| ${field.replace(/[()]/g, '\\$&')} +\\|`, 'm'),
        );
      for (const tier of tiers) {
        expect(text).toMatch(
          new RegExp(
            `^\\| ${tier.id} +\\| ${shortDuration(
              tier.rtoMinutes,
            )} / ${shortDuration(tier.rpoMinutes)} `,
            'm',
          ),
        );
      }
    },
  );
});
