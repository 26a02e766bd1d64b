import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/** The entity of the page a card or tab is on: itself, its ref, and what people call it. */
export function useCurrentEntity(): {
  entity: Entity;
  entityRef: string;
  /** Its title, else its name. */
  title: string;
} {
  const { entity } = useEntity();
  return {
    entity,
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
  };
}
