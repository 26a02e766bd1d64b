import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { MONTHLY_BUDGET_ANNOTATION } from '@internal/cost-common';
import { directoryDigest } from './readers/snapshot';
import type { CatalogDirectory } from './readers/types';

/** The catalog namespace that cost tag values (product, service, team) name entities in. */
export const COST_NAMESPACE = 'default';

const CACHE_MS = 60_000;
/** How long a directory is kept while the catalog is still changing (at start-up, while it ingests). */
const UNSETTLED_CACHE_MS = 5_000;

/**
 * Products, services and teams from the catalog, refreshed at most once a minute (by `now`).
 * While the catalog is still changing (a load differs from the one before, as at start-up while
 * it ingests its locations) a load is kept for 5 s only, so titles and owners appear within
 * seconds of the catalog having them rather than a minute later.
 */
export function catalogDirectory(
  catalog: CatalogService,
  auth: AuthService,
  now: () => Date = () => new Date(),
): () => Promise<CatalogDirectory> {
  let cached:
    | { at: number; keepMs: number; directory: Promise<CatalogDirectory> }
    | undefined;
  let lastDigest: string | undefined;
  const load = async (): Promise<CatalogDirectory> => {
    const { items } = await catalog.getEntities(
      {
        filter: [{ kind: 'System' }, { kind: 'Component' }, { kind: 'Group' }],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          `metadata.annotations.${MONTHLY_BUDGET_ANNOTATION}`,
          'spec.domain',
          'spec.owner',
          'spec.system',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const directory: CatalogDirectory = {
      systems: new Map(),
      components: new Map(),
      groups: new Map(),
    };
    for (const entity of items) {
      // Tag values name entities of one namespace; a same-named entity elsewhere is not theirs.
      if ((entity.metadata.namespace ?? 'default') !== COST_NAMESPACE) continue;
      const ref = stringifyEntityRef(entity);
      const spec = (entity.spec ?? {}) as Record<string, string | undefined>;
      const owner = spec.owner
        ? stringifyEntityRef({
            kind: 'Group',
            namespace: 'default',
            name: spec.owner.replace(/^group:(default\/)?/, ''),
          })
        : undefined;
      if (entity.kind === 'System') {
        directory.systems.set(entity.metadata.name, {
          ref,
          title: entity.metadata.title,
          domain: spec.domain,
          owner,
          budgetAnnotation:
            entity.metadata.annotations?.[MONTHLY_BUDGET_ANNOTATION],
        });
      } else if (entity.kind === 'Component') {
        directory.components.set(entity.metadata.name, {
          ref,
          system: spec.system,
          owner,
        });
      } else {
        directory.groups.set(entity.metadata.name, {
          ref,
          title: entity.metadata.title,
        });
      }
    }
    return directory;
  };
  return () => {
    const at = now().getTime();
    // A clock set back (a test, a corrected host clock) reloads too rather than trusting an entry from the future.
    if (!cached || at - cached.at > cached.keepMs || at < cached.at) {
      const entry = { at, keepMs: UNSETTLED_CACHE_MS, directory: load() };
      cached = entry;
      entry.directory.then(
        directory => {
          // Two loads alike: the catalog has settled.
          const digest = directoryDigest(directory);
          if (digest === lastDigest) entry.keepMs = CACHE_MS;
          lastDigest = digest;
        },
        () => {
          if (cached === entry) cached = undefined;
        },
      );
    }
    return cached.directory;
  };
}
