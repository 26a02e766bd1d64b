import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DR_PUBLIC_HOSTNAME_ANNOTATION, DR_TIER_ANNOTATION } from '@internal/dr-readiness-common';

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

const CACHE_MS = 30_000;
const FRESH_MS = 5_000;

const shortName = (ref: string | undefined, kind: string) =>
  ref ? parseEntityRef(ref, { defaultKind: kind, defaultNamespace: 'default' }).name : undefined;

/** Components carrying `payments-platform/dr-tier`, read from the catalog at most every 30 s. */
export function drServiceDirectory(catalog: CatalogService, auth: AuthService): (options?: { fresh?: boolean }) => Promise<DrService[]> {
  let cached: { at: number; services: Promise<DrService[]> } | undefined;
  const load = async (): Promise<DrService[]> => {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Component' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'metadata.annotations', 'spec.owner', 'spec.system'],
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
          hostname: entity.metadata.annotations?.[DR_PUBLIC_HOSTNAME_ANNOTATION],
        };
      })
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  };
  // `fresh`: a service just registered (e.g. scaffolded) is looked up again, at most every 5 s.
  return (options?: { fresh?: boolean }) => {
    const maxAge = options?.fresh ? FRESH_MS : CACHE_MS;
    if (!cached || Date.now() - cached.at > maxAge) {
      const services = load();
      cached = { at: Date.now(), services };
      services.catch(() => (cached = undefined));
    }
    return cached.services;
  };
}
