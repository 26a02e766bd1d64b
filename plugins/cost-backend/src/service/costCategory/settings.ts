import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { CostCategorySettings } from './definition';

const NAME = /^(?! )[\p{L}\p{N}\p{Z}_-]{1,50}(?<! )$/u;

function named(key: string, value: string): string {
  if (!NAME.test(value))
    throw new InputError(
      `Invalid config ${key}: '${value}' must be 1 to 50 letters, digits, spaces, - or _ (AWS's cost category rule)`,
    );
  return value;
}

/**
 * `cost.costCategory` (the generated definition's name and default value) and
 * `cost.productCostCategory` or the taxonomy's product tag `costCategory` (a cost category to
 * group products by instead of the product tag; its spend under the default value counts as
 * unallocated).
 */
export function readCostCategorySettings(
  config: Config,
  taxonomyCostCategory?: string,
): {
  costCategory: CostCategorySettings;
  productCostCategory?: { name: string; defaultValue: string };
} {
  const costCategory = {
    name: named(
      'cost.costCategory.name',
      config.getOptionalString('cost.costCategory.name') ?? 'Product',
    ),
    defaultValue: named(
      'cost.costCategory.defaultValue',
      config.getOptionalString('cost.costCategory.defaultValue') ??
        'Unallocated',
    ),
  };
  // Config wins over the taxonomy's product tag `costCategory`, so one deployment can try it out.
  const configured = config.getOptionalString('cost.productCostCategory');
  const product = configured ?? taxonomyCostCategory;
  return {
    costCategory,
    productCostCategory: product
      ? {
          name: named(
            configured
              ? 'cost.productCostCategory'
              : 'the taxonomy product tag costCategory',
            product,
          ),
          defaultValue: costCategory.defaultValue,
        }
      : undefined,
  };
}
