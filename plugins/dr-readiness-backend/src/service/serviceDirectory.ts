import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DR_PUBLIC_HOSTNAME_ANNOTATION,
  DR_TIER_ANNOTATION,
} from '@internal/dr-readiness-common';

/** A Component with a DR tier: what the scan covers and the scorecard lists. */
export interface DrService {
  entityRef: string;
  name: string;
  title?: string;
  product?: string;
  team?: string;
  tier: string;
  hostname?: string;
}

/**
 * How current the list must be. `fresh`: a request looking for a service just registered (e.g.
 * scaffolded) reloads it when older than 5 s. `reload`: a scheduled task reads the catalog now,
 * once per run.
 */
export interface DrServiceQuery {
  fresh?: boolean;
  reload?: boolean;
}

/** The Components with a DR tier, from the catalog. */
export type DrServiceDirectory = (
  query?: DrServiceQuery,
) => Promise<DrService[]>;

const CACHE_MS = 30_000;
const FRESH_MS = 5_000;

const shortName = (ref: string | undefined, kind: string) =>
  ref
    ? parseEntityRef(ref, { defaultKind: kind, defaultNamespace: 'default' })
        .name
    : undefined;

/**
 * Components carrying `payments-platform/dr-tier`, read from the catalog at most every 30 s
 * by the backend's clock (`now`).
 */
export function drServiceDirectory(
  catalog: CatalogService,
  auth: AuthService,
  now: () => Date = () => new Date(),
): DrServiceDirectory {
  const nowMs = () => now().getTime();
  let cached: { at: number; services: Promise<DrService[]> } | undefined;
  const load = async (): Promise<DrService[]> => {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Component' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
          'spec.system',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items
      .filter(entity => entity.metadata.annotations?.[DR_TIER_ANNOTATION])
      .map(entity => {
        const spec = (entity.spec ?? {}) as Record<string, string | undefined>;
        return {
          entityRef: stringifyEntityRef(entity),
          name: entity.metadata.name,
          title: entity.metadata.title,
          product: shortName(spec.system, 'System'),
          team: shortName(spec.owner, 'Group'),
          tier: entity.metadata.annotations![DR_TIER_ANNOTATION],
          hostname:
            entity.metadata.annotations?.[DR_PUBLIC_HOSTNAME_ANNOTATION],
        };
      })
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  };
  // Past 30 s the list is reloaded in the background and the last one answers meanwhile, so no
  // request waits for the catalog (2,000 entities) once it has been read. `fresh`: a service just
  // registered (e.g. scaffolded) is looked up again, waiting for it, at most every 5 s.
  let refreshing = false;
  const reload = () => {
    const at = nowMs();
    const services = load();
    cached = { at, services };
    services.catch(() => {
      if (cached?.services === services) cached = undefined;
    });
    return services;
  };
  return (query?: DrServiceQuery) => {
    if (
      !cached ||
      query?.reload ||
      (query?.fresh && nowMs() - cached.at > FRESH_MS)
    )
      return reload();
    if (nowMs() - cached.at > CACHE_MS && !refreshing) {
      refreshing = true;
      const current = cached;
      const at = nowMs();
      load()
        .then(services => {
          // Unless a fresh lookup replaced the list meanwhile.
          if (cached === current)
            cached = { at, services: Promise.resolve(services) };
        })
        .catch(() => {
          // Kept: the last list answers until the catalog does again (the next call retries).
        })
        .finally(() => {
          refreshing = false;
        });
    }
    return cached.services;
  };
}
