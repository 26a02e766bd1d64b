import type {
  TeamCoverageTrend,
  UntaggedResourcesReport,
} from '@internal/cost-common';
import type { CostReads } from '../database/CostStore';
import type { UntaggedResourceStore } from '../database/UntaggedResourceStore';
import {
  CostCategoryDefinition,
  costCategoryDefinition,
  CostCategorySettings,
} from './costCategory/definition';
import { costCategoryTerraform } from './costCategory/terraform';
import { isoDay } from './dates';
import { teamCoverageTrend } from './readers/coverageTrend';
import type { CatalogDirectory, SharedCostRule } from './readers/types';
import {
  ReportKeys,
  untaggedResourcesReport,
} from './untaggedResources/report';
import type { UntaggedResourceSettings } from './untaggedResources/settings';

export interface AllocationReaderOptions {
  costCategory: CostCategorySettings;
  sharedRules: SharedCostRule[];
  untaggedResources: UntaggedResourceSettings;
  keys: ReportKeys;
}

/**
 * What helps a FinOps lead allocate the rest: the AWS Cost Category matching the portal, the
 * resources behind unallocated spend with their likely owners, and tag coverage per team over time.
 */
export class AllocationReader {
  constructor(
    private readonly costStore: Pick<
      CostReads,
      'totalsByKey1' | 'accountNames'
    >,
    private readonly untaggedStore: UntaggedResourceStore,
    private readonly options: AllocationReaderOptions,
    private readonly now: () => Date,
  ) {}

  costCategory(catalog: CatalogDirectory): CostCategoryDefinition {
    return costCategoryDefinition({
      catalog,
      productTag: this.options.keys.product,
      sharedRules: this.options.sharedRules,
      settings: this.options.costCategory,
      now: this.now(),
    });
  }

  costCategoryTerraform(catalog: CatalogDirectory): string {
    return costCategoryTerraform(this.costCategory(catalog));
  }

  async untaggedResources(
    catalog: CatalogDirectory,
  ): Promise<UntaggedResourcesReport> {
    const { accounts, regions } = this.options.untaggedResources;
    const [resources, scopes, names] = await Promise.all([
      this.untaggedStore.resources(),
      this.untaggedStore.scopes(),
      this.costStore.accountNames(),
    ]);
    const accountNames = { ...names };
    for (const account of accounts)
      if (account.name && !accountNames[account.accountId])
        accountNames[account.accountId] = account.name;
    return untaggedResourcesReport({
      configured: accounts.length > 0 && regions.length > 0,
      configuredScopes: accounts.flatMap(a =>
        regions.map(region => ({ accountId: a.accountId, region })),
      ),
      scopes,
      resources,
      keys: this.options.keys,
      catalog,
      accountNames,
    });
  }

  coverageTrend(catalog: CatalogDirectory): Promise<TeamCoverageTrend> {
    return teamCoverageTrend(this.costStore, catalog, isoDay(this.now()));
  }
}
