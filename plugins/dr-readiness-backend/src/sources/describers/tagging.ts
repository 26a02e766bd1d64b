import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  ResourceTagMapping,
  TagFilter,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  ApiCallRecord,
  CollectedResource,
  DR_RESOURCE_TYPES,
  DrResourceType,
} from '@internal/dr-readiness-common';
import { isDrType, resourceTypeOf } from '../arns';
import { CallTarget, recordedPages } from '../calls';

export interface DiscoveryOptions {
  /** Tag keys from the taxonomy. */
  serviceTag: string;
  environmentTag: string;
  /** Only resources tagged with one of these environments (empty: every environment). */
  environments: string[];
  /** Only these services (a rescan); unset: every service. */
  onlyServices?: string[];
  /** The resource types a service's tier has controls for; other resources are skipped. */
  typesFor?: (service: string) => ReadonlySet<DrResourceType> | undefined;
  /** Receives the first page's call: the evidence that a service has nothing of a type here. */
  onFirstPage: (call: ApiCallRecord) => void;
  /** Only these types (default: every DR type). */
  resourceTypes?: DrResourceType[];
}

/** The Tagging API's tag list as a record (a tag without a key is no tag). */
function tagsOf(mapping: ResourceTagMapping): Record<string, string> {
  return Object.fromEntries(
    (mapping.Tags ?? []).flatMap(tag =>
      tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']],
    ),
  );
}

function tagFiltersOf(options: DiscoveryOptions): TagFilter[] {
  const filters: TagFilter[] = [
    { Key: options.serviceTag, Values: options.onlyServices },
  ];
  if (options.environments.length > 0)
    filters.push({ Key: options.environmentTag, Values: options.environments });
  return filters;
}

/**
 * Discovery: every resource of the DR types tagged with a service in one account x region,
 * through the Tagging API in pages of 100. Resources come without facts; the describers add them.
 */
export async function discoverResources(
  client: ResourceGroupsTaggingAPIClient,
  target: CallTarget,
  options: DiscoveryOptions,
): Promise<CollectedResource[]> {
  const discovered: CollectedResource[] = [];
  const pages = recordedPages(target, 'GetResources', sendOptions =>
    paginateGetResources(
      { client, pageSize: 100 },
      {
        TagFilters: tagFiltersOf(options),
        ResourceTypeFilters: options.resourceTypes ?? DR_RESOURCE_TYPES,
      },
      sendOptions,
    ),
  );
  let first = true;
  for await (const { output, call } of pages) {
    if (first) options.onFirstPage(call);
    first = false;
    for (const mapping of output.ResourceTagMappingList ?? []) {
      const arn = mapping.ResourceARN;
      if (!arn) continue;
      const type = resourceTypeOf(arn);
      if (!isDrType(type)) continue;
      const tags = tagsOf(mapping);
      if (
        options.typesFor &&
        !options.typesFor(tags[options.serviceTag])?.has(type)
      )
        continue;
      discovered.push({
        arn,
        resourceType: type,
        accountId: target.accountId,
        region: target.region,
        tags,
        calls: [call],
      });
    }
  }
  return discovered;
}
