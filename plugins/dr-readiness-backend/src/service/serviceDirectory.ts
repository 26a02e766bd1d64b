import type { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AWS_RESOURCE_NAME_ANNOTATION,
  AWS_RESOURCE_TYPE_ANNOTATION,
  DeclaredResource,
  DR_PUBLIC_HOSTNAME_ANNOTATION,
  DR_RESOURCE_TYPES,
  DR_TIER_ANNOTATION,
  DrResourceType,
} from '@internal/dr-readiness-common';

/** A Component with a DR tier: what the scan covers and the scorecard lists. */
export interface DrService {
  entityRef: string;
  name: string;
  title?: string;
  product?: string;
  team?: string;
  /** The owner's full entity ref, e.g. `group:default/card-acquiring-team`. */
  owner?: string;
  tier: string;
  hostname?: string;
  /** The data stores it declares: Resources it dependsOn with `payments-platform/aws-resource-type`. */
  declared?: DeclaredResource[];
}

/**
 * What a caller needs of the list. `entityRef`: a request about one service, perhaps registered a
 * moment ago (e.g. scaffolded): when the list lacks it, that entity is read from the catalog now.
 * `reload`: a scheduled task reads the catalog now, once per run.
 */
export interface DrServiceQuery {
  entityRef?: string;
  reload?: boolean;
}

/** The Components with a DR tier, from the catalog. */
export type DrServiceDirectory = (
  query?: DrServiceQuery,
) => Promise<DrService[]>;

const CACHE_MS = 30_000;
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'relations',
];

/** The data store a Resource entity declares, when it names a resource type the scan discovers. */
function declaredOf(entity: Entity): DeclaredResource | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const type = annotations[AWS_RESOURCE_TYPE_ANNOTATION] as DrResourceType;
  if (entity.kind !== 'Resource' || !DR_RESOURCE_TYPES.includes(type))
    return undefined;
  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    resourceType: type,
    awsName:
      annotations[AWS_RESOURCE_NAME_ANNOTATION]?.trim() || entity.metadata.name,
  };
}

/** The refs of the Resources a Component depends on. */
const dependsOn = (entity: Entity) =>
  (entity.relations ?? [])
    .filter(r => r.type === 'dependsOn' && r.targetRef.startsWith('resource:'))
    .map(r => r.targetRef);

const shortName = (ref: string | undefined, kind: string) =>
  ref
    ? parseEntityRef(ref, { defaultKind: kind, defaultNamespace: 'default' })
        .name
    : undefined;

/** The service behind a Component carrying `payments-platform/dr-tier`, else undefined. */
function drServiceOf(
  entity: Entity,
  stores: Map<string, DeclaredResource>,
): DrService | undefined {
  const tier = entity.metadata.annotations?.[DR_TIER_ANNOTATION];
  if (entity.kind !== 'Component' || !tier) return undefined;
  const spec = (entity.spec ?? {}) as Record<string, string | undefined>;
  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    title: entity.metadata.title,
    product: shortName(spec.system, 'System'),
    team: shortName(spec.owner, 'Group'),
    owner: spec.owner
      ? stringifyEntityRef(
          parseEntityRef(spec.owner, {
            defaultKind: 'Group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        )
      : undefined,
    tier,
    hostname: entity.metadata.annotations?.[DR_PUBLIC_HOSTNAME_ANNOTATION],
    declared: dependsOn(entity).flatMap(ref => {
      const store = stores.get(ref);
      return store ? [store] : [];
    }),
  };
}

/** Resources by entity ref, for the ones that declare a data store. */
function storesOf(entities: Entity[]): Map<string, DeclaredResource> {
  const stores = new Map<string, DeclaredResource>();
  for (const entity of entities) {
    const store = declaredOf(entity);
    if (store) stores.set(store.entityRef, store);
  }
  return stores;
}

/**
 * Components carrying `payments-platform/dr-tier`, with the data stores they declare (the
 * Resources they dependsOn), read from the catalog at most every 30 s by the backend's clock (`now`).
 */
export function drServiceDirectory(
  catalog: CatalogService,
  auth: AuthService,
  now: () => Date = () => new Date(),
): DrServiceDirectory {
  const nowMs = () => now().getTime();
  let cached: { at: number; services: Promise<DrService[]> } | undefined;
  const credentials = async () => ({
    credentials: await auth.getOwnServiceCredentials(),
  });
  /** The Resources of the last full read; a Component found on its own reads any it lacks. */
  let stores = new Map<string, DeclaredResource>();
  const load = async (): Promise<DrService[]> => {
    const { items } = await catalog.getEntities(
      {
        filter: [{ kind: 'Component' }, { kind: 'Resource' }],
        fields: FIELDS,
      },
      await credentials(),
    );
    stores = storesOf(items);
    return items
      .map(entity => drServiceOf(entity, stores))
      .filter((service): service is DrService => service !== undefined)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  };
  const storesFor = async (entity: Entity) => {
    const unknown = dependsOn(entity).filter(ref => !stores.has(ref));
    if (unknown.length === 0) return stores;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: unknown, fields: FIELDS },
      await credentials(),
    );
    return new Map([
      ...stores,
      ...storesOf(items.filter((e): e is Entity => Boolean(e))),
    ]);
  };
  // One entity by its ref, the catalog's indexed lookup: cheap, so a request about a service the
  // list does not have yet never waits for (or throttles) a read of the whole catalog.
  const withEntity = async (list: DrService[], entityRef: string) => {
    if (list.some(s => s.entityRef === entityRef)) return list;
    const entity = await catalog.getEntityByRef(entityRef, await credentials());
    const service = entity && drServiceOf(entity, await storesFor(entity));
    return service ? [...list, service] : list;
  };
  const lookUp = (list: Promise<DrService[]>, query?: DrServiceQuery) =>
    query?.entityRef ? list.then(l => withEntity(l, query.entityRef!)) : list;
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
  // Past 30 s the list is reloaded in the background and the last one answers meanwhile, so no
  // request waits for the catalog (2,000 entities) once it has been read.
  return (query?: DrServiceQuery) => {
    if (!cached || query?.reload) return lookUp(reload(), query);
    if (nowMs() - cached.at > CACHE_MS && !refreshing) {
      refreshing = true;
      const current = cached;
      const at = nowMs();
      load()
        .then(services => {
          // Unless a scheduled task's reload replaced the list meanwhile.
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
    return lookUp(cached.services, query);
  };
}
