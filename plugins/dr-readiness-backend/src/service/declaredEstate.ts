import type { CollectedResource } from '@internal/dr-readiness-common';
import { isDeclaredAs, resourceName } from '@internal/dr-readiness-node';
import type { DrService } from './serviceDirectory';

/*
 * A data store several services depend on (e.g. one Aurora cluster read by a batch job) is
 * tagged with one of them. Each service that declares it in the catalog is judged on it: its
 * recovery depends on that store as much as its owner's does.
 */

/** The services outside `only` that declare one of the same stores: a rescan collects their resources too. */
export function coDeclarers(only: DrService[], all: DrService[]): DrService[] {
  const names = new Set(only.map(s => s.name));
  const stores = new Set(
    only.flatMap(s => (s.declared ?? []).map(d => d.entityRef)),
  );
  if (stores.size === 0) return [];
  return all.filter(
    s =>
      !names.has(s.name) &&
      (s.declared ?? []).some(d => stores.has(d.entityRef)),
  );
}

/**
 * The collected resources by type and name, with the service each is tagged with: built once per
 * scan. Each resource is listed under its name and every hyphen-prefix of it (`ledger-db-old` under
 * `ledger-db-old`, `ledger-db` and `ledger`), so the resources a declared store matches (its name,
 * or a name starting with it and `-`, isDeclaredAs) are one lookup, not a pass over every resource
 * of the type per declaring service (that grew with services x resources).
 */
export type StoresByType = Map<
  string,
  Array<{ owner: string; resource: CollectedResource }>
>;

const storeKey = (type: string, name: string) => `${type}|${name}`;

export function storesByType(
  collected: Map<string, CollectedResource[]>,
): StoresByType {
  const index: StoresByType = new Map();
  for (const [owner, resources] of collected) {
    for (const resource of resources) {
      const name = resourceName(resource);
      const parts = name.split('-');
      for (let i = 1; i <= parts.length; i++) {
        const key = storeKey(
          resource.resourceType,
          parts.slice(0, i).join('-'),
        );
        const list = index.get(key) ?? [];
        list.push({ owner, resource });
        index.set(key, list);
      }
    }
  }
  return index;
}

/** The service's resources: those tagged with it, and the stores it declares that are tagged with another service. */
export function resourcesOf(
  service: DrService,
  collected: Map<string, CollectedResource[]>,
  index: StoresByType,
): CollectedResource[] {
  const own = collected.get(service.name) ?? [];
  const shared: CollectedResource[] = [];
  for (const store of service.declared ?? []) {
    const candidates =
      index.get(storeKey(store.resourceType, store.awsName)) ?? [];
    for (const { owner, resource } of candidates) {
      if (owner !== service.name && isDeclaredAs(resource, store))
        shared.push(resource);
    }
  }
  if (shared.length === 0) return own;
  return [...new Map([...own, ...shared].map(r => [r.arn, r])).values()].sort(
    (a, b) => a.arn.localeCompare(b.arn),
  );
}
