import { awsJsonProtocol } from '../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import type { EstateResource } from '../estate/DemoEstate';
import { decodePageToken, encodePageToken, queryFingerprint } from './paging';

const DEFAULT_RESOURCES_PER_PAGE = 50;
const TAG_KEYS_PER_PAGE = 100;

function invalid(message: string): never {
  throw new AwsError('InvalidParameterException', message);
}

// The estate is immutable, so each account x region listing is sorted once (paging stays linear).
const listings = new WeakMap<object, Map<string, EstateResource[]>>();

/**
 * Resources the caller's account holds in the signing region. The API only knows resources that
 * carry tags, or once did: a resource whose tags were all removed is still listed, with
 * `Tags: []`, until AWS forgets it (and never matches a tag filter).
 */
function visibleResources(ctx: CallContext): EstateResource[] {
  let byScope = listings.get(ctx.estate);
  if (!byScope) {
    byScope = new Map();
    listings.set(ctx.estate, byScope);
  }
  const scope = `${ctx.account.id}:${ctx.region}`;
  let resources = byScope.get(scope);
  if (!resources) {
    resources = ctx.estate.resources
      .filter(
        r =>
          r.accountId === ctx.account.id &&
          r.region === ctx.region &&
          (Object.keys(r.tags).length > 0 || r.previouslyTagged),
      )
      .sort((a, b) => a.arn.localeCompare(b.arn));
    byScope.set(scope, resources);
  }
  return resources;
}

function matchesType(resource: EstateResource, filters: string[]): boolean {
  return filters.some(filter =>
    filter.includes(':')
      ? resource.resourceType === filter
      : resource.resourceType.startsWith(`${filter}:`),
  );
}

function page<T>(
  items: T[],
  input: Record<string, unknown>,
  ctx: CallContext,
  size: number,
) {
  const fingerprint = queryFingerprint(
    input,
    `${ctx.account.id}:${ctx.region}`,
    'PaginationToken',
  );
  const offset = decodePageToken(
    input.PaginationToken,
    fingerprint,
    'PaginationToken',
    'PaginationTokenExpiredException',
  );
  const next = offset + size;
  return {
    items: items.slice(offset, next),
    token: next < items.length ? encodePageToken(fingerprint, next) : '',
  };
}

/** Resource Groups Tagging API over awsJson1_1: discovery of tagged resources per account and region. */
export const taggingService: AwsServiceDefinition = {
  signingName: 'tagging',
  statsPrefix: 'tagging',
  protocol: awsJsonProtocol('1.1', 'ResourceGroupsTaggingAPI_20170126'),
  operations: {
    GetResources: (input: Record<string, any>, ctx: CallContext) => {
      const perPage = input.ResourcesPerPage ?? DEFAULT_RESOURCES_PER_PAGE;
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
        invalid(`ResourcesPerPage is ${perPage}; it must be from 1 to 100`);
      }
      const tagFilters: Array<{ Key?: string; Values?: string[] }> =
        input.TagFilters ?? [];
      const typeFilters: string[] = input.ResourceTypeFilters ?? [];
      const arnList: string[] | undefined = input.ResourceARNList;
      if (arnList && (tagFilters.length > 0 || typeFilters.length > 0)) {
        invalid(
          'ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters',
        );
      }
      if (tagFilters.length > 50)
        invalid(
          `TagFilters has ${tagFilters.length} filters; at most 50 are allowed`,
        );
      tagFilters.forEach((filter, i) => {
        if (!filter.Key) invalid(`TagFilters[${i}].Key is required`);
        if ((filter.Values ?? []).length > 20)
          invalid(`TagFilters[${i}].Values has more than 20 values`);
      });
      typeFilters.forEach((filter, i) => {
        if (!/^[a-z0-9-]+(:[a-z0-9-]+)?$/i.test(filter))
          invalid(
            `ResourceTypeFilters[${i}] '${filter}' must be service or service:resourceType, e.g. rds:cluster`,
          );
      });

      const resources = visibleResources(ctx).filter(resource => {
        if (arnList && !arnList.includes(resource.arn)) return false;
        if (typeFilters.length > 0 && !matchesType(resource, typeFilters))
          return false;
        return tagFilters.every(filter => {
          const value = resource.tags[filter.Key!];
          if (value === undefined) return false;
          return (
            !filter.Values ||
            filter.Values.length === 0 ||
            filter.Values.includes(value)
          );
        });
      });
      const { items, token } = page(resources, input, ctx, perPage);
      return {
        PaginationToken: token,
        ResourceTagMappingList: items.map(resource => ({
          ResourceARN: resource.arn,
          Tags: Object.entries(resource.tags).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        })),
      };
    },

    GetTagKeys: (input: Record<string, any>, ctx: CallContext) => {
      const keys = [
        ...new Set(visibleResources(ctx).flatMap(r => Object.keys(r.tags))),
      ].sort();
      const { items, token } = page(keys, input, ctx, TAG_KEYS_PER_PAGE);
      return { PaginationToken: token, TagKeys: items };
    },

    GetTagValues: (input: Record<string, any>, ctx: CallContext) => {
      if (!input.Key)
        invalid('Key is required: the tag key whose values to list');
      const values = [
        ...new Set(
          visibleResources(ctx)
            .map(r => r.tags[input.Key])
            .filter((v): v is string => v !== undefined),
        ),
      ].sort();
      const { items, token } = page(values, input, ctx, TAG_KEYS_PER_PAGE);
      return { PaginationToken: token, TagValues: items };
    },
  },
};
