import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { MONTHLY_BUDGET_ANNOTATION } from '@internal/cost-common';
import type { CatalogDirectory } from './readers/types';

/** The catalog namespace that cost tag values (product, service, team) name entities in. */
export const COST_NAMESPACE = 'default';

const CACHE_MS = 60_000;

/** Products, services and teams from the catalog, refreshed at most once a minute (by `now`). */
export function catalogDirectory(
  catalog: CatalogService,
  auth: AuthService,
  now: () => Date = () => new Date(),
): () => Promise<CatalogDirectory> {
  let cached: { at: number; directory: Promise<CatalogDirectory> } | undefined;
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
    if (!cached || at - cached.at > CACHE_MS || at < cached.at) {
      const directory = load();
      cached = { at, directory };
      directory.catch(() => (cached = undefined));
    }
    return cached.directory;
  };
}
