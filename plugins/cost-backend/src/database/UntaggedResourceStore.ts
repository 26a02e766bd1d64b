import type { Knex } from 'knex';

/** A resource as listed by the Tagging API in one account x region. */
export interface ListedResource {
  accountId: string;
  region: string;
  arn: string;
  resourceType: string;
  awsService: string;
  tags: Record<string, string>;
}

export interface ListingScope {
  accountId: string;
  region: string;
  listedAt?: string;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * The resources missing required tags, per account x region (same database and migrations as
 * CostStore). A failed listing keeps the scope's previous resources and records the error.
 */
export class UntaggedResourceStore {
  constructor(private readonly knex: Knex) {}

  async replaceScope(
    accountId: string,
    region: string,
    resources: ListedResource[],
    listedAt: Date,
    calls = 0,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      const made = await UntaggedResourceStore.callsMade(tx, accountId, region);
      await tx('cost_untagged_resources')
        .where({ account_id: accountId, region })
        .delete();
      const rows = resources.map(r => ({
        account_id: accountId,
        region,
        arn: r.arn,
        resource_type: r.resourceType,
        aws_service: r.awsService,
        tags: JSON.stringify(r.tags),
      }));
      for (let i = 0; i < rows.length; i += 200)
        await tx('cost_untagged_resources').insert(rows.slice(i, i + 200));
      await tx('cost_untagged_resource_scopes')
        .insert({
          account_id: accountId,
          region,
          listed_at: listedAt.toISOString(),
          error_code: null,
          error_message: null,
          aws_calls: made + calls,
        })
        .onConflict(['account_id', 'region'])
        .merge();
    });
  }

  async recordFailure(
    accountId: string,
    region: string,
    code: string,
    message: string,
    calls = 0,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      const made = await UntaggedResourceStore.callsMade(tx, accountId, region);
      await tx('cost_untagged_resource_scopes')
        .insert({
          account_id: accountId,
          region,
          error_code: code,
          error_message: message,
          aws_calls: made + calls,
        })
        .onConflict(['account_id', 'region'])
        .merge(['error_code', 'error_message', 'aws_calls']);
    });
  }

  /** Tagging API requests made for a scope so far (each page is one). */
  private static async callsMade(
    tx: Knex.Transaction,
    accountId: string,
    region: string,
  ): Promise<number> {
    const row = await tx('cost_untagged_resource_scopes')
      .where({ account_id: accountId, region })
      .first('aws_calls');
    return Number(row?.aws_calls ?? 0);
  }

  async resources(): Promise<ListedResource[]> {
    const rows = await this.knex('cost_untagged_resources')
      .select()
      .orderBy(['account_id', 'aws_service', 'arn']);
    return rows.map(row => ({
      accountId: row.account_id,
      region: row.region,
      arn: row.arn,
      resourceType: row.resource_type,
      awsService: row.aws_service,
      tags: JSON.parse(row.tags),
    }));
  }

  async scopes(): Promise<ListingScope[]> {
    const rows = await this.knex('cost_untagged_resource_scopes')
      .select()
      .orderBy(['account_id', 'region']);
    return rows.map(row => ({
      accountId: row.account_id,
      region: row.region,
      listedAt: row.listed_at ?? undefined,
      errorCode: row.error_code ?? undefined,
      errorMessage: row.error_message ?? undefined,
    }));
  }
}
