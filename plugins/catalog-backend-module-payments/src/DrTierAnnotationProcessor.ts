import {
  Entity,
  isComponentEntity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DR_TIER_ANNOTATION, DrTier } from '@internal/dr-readiness-common';
import { findDrTier } from '@internal/dr-readiness-node';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';

/**
 * Rejects a Component whose `payments-platform/dr-tier` names no configured tier.
 *
 * The error becomes a catalog processing error on the entity (shown on its page, logged by
 * the catalog and returned by the validate-entity API); the catalog keeps running.
 */
export class DrTierAnnotationProcessor implements CatalogProcessor {
  constructor(private readonly tiers: DrTier[]) {}

  getProcessorName(): string {
    return 'DrTierAnnotationProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    const value = entity.metadata.annotations?.[DR_TIER_ANNOTATION];
    if (value === undefined || !isComponentEntity(entity)) {
      return entity;
    }
    if (!findDrTier(this.tiers, value)) {
      const known = this.tiers.map(tier => tier.id).join(', ');
      throw new InputError(
        `${stringifyEntityRef(entity)} in ${
          location.target
        }: metadata.annotations["${DR_TIER_ANNOTATION}"] is "${value}", ` +
          `which is not a DR tier. Use one of: ${known} (declared in app-config under drReadiness.tiers).`,
      );
    }
    return entity;
  }
}
