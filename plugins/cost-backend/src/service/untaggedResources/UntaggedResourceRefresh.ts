import type { LoggerService } from '@backstage/backend-plugin-api';
import type { UntaggedResourceStore } from '../../database/UntaggedResourceStore';
import type { ResourceTagSource } from '../../sources/ResourceTaggingSource';
import { SourceError } from '../types';

export interface ListingOutcome {
  accountId: string;
  region: string;
  status: 'succeeded' | 'failed';
  resources: number;
  calls: number;
  error?: { code: string; message: string };
}

/**
 * Lists every configured account x region through the Tagging API and keeps the resources that
 * lack a required taxonomy key. A scope that fails keeps its previous list, with the error shown.
 */
export class UntaggedResourceRefresh {
  constructor(
    private readonly sources: ResourceTagSource[],
    private readonly store: UntaggedResourceStore,
    private readonly requiredKeys: string[],
    private readonly logger: LoggerService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async refresh(signal?: AbortSignal): Promise<ListingOutcome[]> {
    const outcomes: ListingOutcome[] = [];
    for (const source of this.sources) {
      signal?.throwIfAborted();
      const { accountId, region } = source.scope;
      try {
        const { resources, calls } = await source.list(signal);
        const missing = resources.filter(r =>
          this.requiredKeys.some(key => !r.tags[key]),
        );
        await this.store.replaceScope(
          accountId,
          region,
          missing,
          this.now(),
          calls,
        );
        outcomes.push({
          accountId,
          region,
          status: 'succeeded',
          resources: missing.length,
          calls,
        });
      } catch (error) {
        signal?.throwIfAborted();
        const code = error instanceof SourceError ? error.code : 'Error';
        const message = (error as Error).message;
        await this.store.recordFailure(accountId, region, code, message);
        this.logger.warn(
          `Untagged resources of ${accountId}/${region} not listed (${code}); the previous list stays: ${message}`,
        );
        outcomes.push({
          accountId,
          region,
          status: 'failed',
          resources: 0,
          calls: 0,
          error: { code, message },
        });
      }
    }
    return outcomes;
  }
}
