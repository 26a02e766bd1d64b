import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import type { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import type { ListedResource } from '../database/UntaggedResourceStore';
import {
  accountOfArn,
  awsServiceOf,
  resourceTypeOf,
} from '../service/untaggedResources/awsServices';
import type { UntaggedResourceSettings } from '../service/untaggedResources/settings';
import { SourceError } from '../service/types';

/** One account x region of the Resource Groups Tagging API. */
export interface ResourceListingScope {
  accountId: string;
  region: string;
}

/** What the untagged-resources refresh needs: every resource the Tagging API lists in a scope. */
export interface ResourceTagSource {
  readonly scope: ResourceListingScope;
  list(signal?: AbortSignal): Promise<{
    resources: ListedResource[];
    calls: number;
  }>;
}

/**
 * GetResources without filters, every page (the SDK's paginator). AWS lists only resources that
 * carry tags or once did (those come back with `Tags: []`); a resource never tagged is not
 * listed at all, so this cannot find it.
 */
export class ResourceTaggingSource implements ResourceTagSource {
  constructor(
    readonly scope: ResourceListingScope,
    private readonly client: ResourceGroupsTaggingAPIClient,
  ) {}

  /** One source per configured account x region, credentials per Backstage's `aws` integration config. */
  static async fromConfig(
    config: Config,
    settings: UntaggedResourceSettings,
  ): Promise<ResourceTaggingSource[]> {
    if (settings.regions.length === 0) return [];
    const credentials = DefaultAwsCredentialsManager.fromConfig(config);
    const maxAttempts = config.getOptionalNumber('cost.maxAttempts') ?? 5;
    const sources: ResourceTaggingSource[] = [];
    for (const account of settings.accounts) {
      const { sdkCredentialProvider } = await credentials.getCredentialProvider(
        {
          accountId: account.accountId,
        },
      );
      for (const region of settings.regions)
        sources.push(
          new ResourceTaggingSource(
            { accountId: account.accountId, region },
            new ResourceGroupsTaggingAPIClient({
              region,
              maxAttempts,
              credentials: sdkCredentialProvider,
            }),
          ),
        );
    }
    return sources;
  }

  async list(signal?: AbortSignal) {
    const resources: ListedResource[] = [];
    let calls = 0;
    try {
      for await (const page of paginateGetResources(
        { client: this.client, pageSize: 100 },
        {},
        { abortSignal: signal },
      )) {
        calls += 1;
        for (const mapping of page.ResourceTagMappingList ?? []) {
          const arn = mapping.ResourceARN;
          if (!arn) continue;
          const resourceType = resourceTypeOf(arn);
          resources.push({
            accountId: accountOfArn(arn) ?? this.scope.accountId,
            region: this.scope.region,
            arn,
            resourceType,
            awsService: awsServiceOf(resourceType),
            tags: Object.fromEntries(
              (mapping.Tags ?? [])
                .filter(t => t.Key !== undefined)
                .map(t => [t.Key!, t.Value ?? '']),
            ),
          });
        }
      }
    } catch (error) {
      signal?.throwIfAborted();
      const e = error as { name?: string; message?: string };
      throw new SourceError(
        e.name ?? 'Error',
        `Resource Groups Tagging API GetResources in ${this.scope.accountId}/${
          this.scope.region
        } failed: ${e.message ?? String(error)}`,
      );
    }
    return { resources, calls };
  }
}
