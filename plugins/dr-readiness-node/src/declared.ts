import type {
  CollectedResource,
  DeclaredResource,
  DrResourceType,
  ServiceFacts,
} from '@internal/dr-readiness-common';
import { BACKUP_TYPES } from './controls/backup';
import { resourceName } from './controls/support';

export { resourceName };

/*
 * The declared estate: the data stores the catalog says a service has (the Resources its
 * Component depends on) against what the scan found tagged with the service. Discovery by tag
 * alone lets an untagged store drop out silently and the service look ready; the catalog's
 * declaration is what makes a missing store visible.
 */

/** The resource types that hold a service's data: what "no data store at all" is about. */
export const DATA_STORE_TYPES: ReadonlyArray<DrResourceType> = [
  ...new Set<DrResourceType>([...BACKUP_TYPES, 'elasticache:replicationgroup']),
];

export const isDataStoreType = (type: DrResourceType) =>
  DATA_STORE_TYPES.includes(type);

/** A found resource is the declared store when its type matches and its name is the store's name, or starts with it and `-`. */
export function isDeclaredAs(
  resource: CollectedResource,
  declared: DeclaredResource,
): boolean {
  if (resource.resourceType !== declared.resourceType) return false;
  const name = resourceName(resource);
  return name === declared.awsName || name.startsWith(`${declared.awsName}-`);
}

export interface DeclaredMatch {
  /** Declared stores no found resource is. */
  missing: DeclaredResource[];
  /** ARNs of found data stores that no declared store is; empty when the catalog was not read. */
  undeclared: Set<string>;
  /** The declared store each found resource is, by ARN. */
  declaredAs: Map<string, DeclaredResource>;
}

/** Which declared stores were found, which were not, and which found data stores nobody declared. */
export function matchDeclared(facts: ServiceFacts): DeclaredMatch {
  const match: DeclaredMatch = {
    missing: [],
    undeclared: new Set(),
    declaredAs: new Map(),
  };
  const declared = facts.declared;
  if (!declared) return match;
  for (const store of declared) {
    const found = facts.resources.filter(r => isDeclaredAs(r, store));
    if (found.length === 0) match.missing.push(store);
    for (const resource of found) match.declaredAs.set(resource.arn, store);
  }
  for (const resource of facts.resources) {
    if (
      isDataStoreType(resource.resourceType) &&
      !match.declaredAs.has(resource.arn)
    )
      match.undeclared.add(resource.arn);
  }
  return match;
}
