import type {
  DefaultTagsFix,
  SuggestedOwner,
  UntaggedResource,
  UntaggedResourceGroup,
  UntaggedResourcesReport,
} from '@internal/cost-common';
import type {
  ListedResource,
  ListingScope,
} from '../../database/UntaggedResourceStore';
import type { CatalogDirectory } from '../readers/types';

/** The taxonomy keys the report reads tags by. */
export interface ReportKeys {
  product: string;
  service: string;
  team: string;
  required: string[];
}

const TODO = 'TODO';

function groupName(ref: string | undefined): string | undefined {
  return ref?.replace(/^group:(default\/)?/, '');
}

/** A tag whose key is `key` in any case (`Team` for `team`: AWS keys are case-sensitive, people are not). */
function tagLike(
  tags: Record<string, string>,
  key: string,
): [string, string] | undefined {
  const exact = tags[key];
  if (exact) return [key, exact];
  return Object.entries(tags).find(
    ([k, v]) => v && k.toLowerCase() === key.toLowerCase(),
  );
}

/**
 * Who a resource probably belongs to: a team tag (in any spelling of the key), else a service
 * tag whose catalog Component has an owner. Nothing else is guessed.
 */
export function suggestOwner(
  tags: Record<string, string>,
  keys: ReportKeys,
  catalog: CatalogDirectory,
): SuggestedOwner | undefined {
  const service = tagLike(tags, keys.service);
  const component = service ? catalog.components.get(service[1]) : undefined;
  const team = tagLike(tags, keys.team);
  if (team) {
    return {
      team: team[1],
      teamRef: catalog.groups.get(team[1])?.ref,
      service: component ? service![1] : undefined,
      evidence: `tag ${team[0]}=${team[1]}`,
    };
  }
  const owner = groupName(component?.owner);
  if (service && owner) {
    return {
      team: owner,
      teamRef: catalog.groups.get(owner)?.ref ?? component?.owner,
      service: service[1],
      evidence: `tag ${service[0]}=${service[1]}, whose catalog owner is ${owner}`,
    };
  }
  return undefined;
}

function quote(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${');
}

/** The provider block that tags everything a team's Terraform creates from now on. */
export function defaultTagsTerraform(
  tags: Record<string, string>,
  unknownKeys: string[],
): string {
  const width = Math.max(...Object.keys(tags).map(k => quote(k).length));
  const lines = Object.entries(tags).map(([key, value]) => {
    const line = `      ${quote(key).padEnd(width)} = ${quote(value)}`;
    return unknownKeys.includes(key)
      ? `${line} # unknown: fill in before applying`
      : line;
  });
  return [
    'provider "aws" {',
    '  default_tags {',
    '    tags = {',
    ...lines,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Per team: the required keys with the values its resources and the catalog agree on. */
function fixFor(
  team: string,
  resources: UntaggedResource[],
  keys: ReportKeys,
  catalog: CatalogDirectory,
): DefaultTagsFix {
  const tags: Record<string, string> = {};
  const unknownKeys: string[] = [];
  const teamRef = catalog.groups.get(team)?.ref;
  const ownedProducts = [...catalog.systems.entries()]
    .filter(([, s]) => groupName(s.owner) === team)
    .map(([name]) => name);
  for (const key of keys.required) {
    const values = new Set<string>();
    if (key === keys.team) values.add(team);
    for (const r of resources) {
      const own = r.tags[key];
      if (own) values.add(own);
      const service = r.suggestedOwner?.service;
      if (key === keys.service && service) values.add(service);
      if (key === keys.product && service) {
        const system = catalog.components.get(service)?.system;
        if (system) values.add(system);
      }
    }
    if (key === keys.product && values.size === 0 && ownedProducts.length === 1)
      values.add(ownedProducts[0]);
    if (values.size === 1) tags[key] = [...values][0];
    else {
      tags[key] = TODO;
      unknownKeys.push(key);
    }
  }
  return {
    team,
    teamRef,
    tags,
    unknownKeys,
    terraform: defaultTagsTerraform(tags, unknownKeys),
    resources: resources.length,
  };
}

export function untaggedResourcesReport(options: {
  configured: boolean;
  configuredScopes: Array<{ accountId: string; region: string }>;
  scopes: ListingScope[];
  resources: ListedResource[];
  keys: ReportKeys;
  catalog: CatalogDirectory;
  accountNames: Record<string, string>;
}): UntaggedResourcesReport {
  const { keys, catalog, accountNames } = options;
  const listed = new Map(
    options.scopes.map(s => [`${s.accountId}/${s.region}`, s]),
  );
  const resources: UntaggedResource[] = options.resources
    .map(r => ({
      ...r,
      accountName: accountNames[r.accountId],
      missingKeys: keys.required.filter(key => !r.tags[key]),
      suggestedOwner: suggestOwner(r.tags, keys, catalog),
    }))
    .filter(r => r.missingKeys.length > 0);

  const groups = new Map<string, UntaggedResourceGroup>();
  for (const r of resources) {
    const id = `${r.accountId}\u0000${r.awsService}`;
    let group = groups.get(id);
    if (!group)
      groups.set(
        id,
        (group = {
          accountId: r.accountId,
          accountName: r.accountName,
          awsService: r.awsService,
          resources: [],
        }),
      );
    group.resources.push(r);
  }

  const byTeam = new Map<string, UntaggedResource[]>();
  for (const r of resources) {
    const team = r.suggestedOwner?.team;
    if (!team) continue;
    byTeam.set(team, [...(byTeam.get(team) ?? []), r]);
  }

  return {
    configured: options.configured,
    requiredKeys: keys.required,
    scopes: options.configuredScopes.map(({ accountId, region }) => {
      const scope = listed.get(`${accountId}/${region}`);
      return {
        accountId,
        accountName: accountNames[accountId],
        region,
        listedAt: scope?.listedAt,
        error: scope?.errorCode
          ? `${scope.errorCode}: ${scope.errorMessage ?? ''}`
          : undefined,
      };
    }),
    groups: [...groups.values()].sort(
      (a, b) =>
        a.accountId.localeCompare(b.accountId) ||
        a.awsService.localeCompare(b.awsService),
    ),
    fixes: [...byTeam.entries()]
      .map(([team, owned]) => fixFor(team, owned, keys, catalog))
      .sort((a, b) => a.team.localeCompare(b.team)),
  };
}
