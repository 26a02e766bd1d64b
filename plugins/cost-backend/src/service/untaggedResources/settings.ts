import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface UntaggedResourceSettings {
  /** Accounts listed one by one (the Tagging API sees only the calling account's resources). */
  accounts: Array<{ accountId: string; name?: string }>;
  regions: string[];
  refreshMinutes: number;
}

/**
 * `cost.untaggedResources`: which accounts and regions the Resource Groups Tagging API is asked
 * for resources missing required tags. Accounts default to `cost.accounts`; with no regions the
 * listing is off and the page says so rather than showing an empty (falsely clean) list.
 */
export function readUntaggedResourceSettings(
  config: Config,
): UntaggedResourceSettings {
  const section = config.getOptionalConfig('cost.untaggedResources');
  const accountsOf = (key: string) =>
    (config.getOptionalConfigArray(key) ?? []).map((account, i) => {
      const accountId = account.getString('accountId');
      if (!/^\d{12}$/.test(accountId))
        throw new InputError(
          `Invalid config ${key}[${i}].accountId: '${accountId}' is not a 12-digit AWS account id`,
        );
      return { accountId, name: account.getOptionalString('name') };
    });
  const own = accountsOf('cost.untaggedResources.accounts');
  const accounts = own.length > 0 ? own : accountsOf('cost.accounts');
  const regions = section?.getOptionalStringArray('regions') ?? [];
  regions.forEach((region, i) => {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw new InputError(
        `Invalid config cost.untaggedResources.regions[${i}]: '${region}' is not an AWS region such as eu-west-2`,
      );
  });
  const refreshMinutes =
    section?.getOptionalNumber('refreshMinutes') ?? 24 * 60;
  if (!(refreshMinutes > 0 && refreshMinutes <= 10080))
    throw new InputError(
      `Invalid config cost.untaggedResources.refreshMinutes: ${refreshMinutes} must be from 1 to 10080`,
    );
  return { accounts, regions, refreshMinutes };
}
