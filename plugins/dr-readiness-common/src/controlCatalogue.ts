import catalogue from './controlCatalogue.json';
import type { ControlDefinition } from './results';

/**
 * The catalogue of DR controls as the API serves it, for the frontend to name a control before
 * any scan has. Generated from the registry in @internal/dr-readiness-node, which holds each
 * control with its check, and kept equal to it by a test there: do not edit the JSON by hand.
 */
export const DR_CONTROL_CATALOGUE: ControlDefinition[] = catalogue;

/** Looks a control up by id. */
export function findDrControl(id: string): ControlDefinition | undefined {
  return DR_CONTROL_CATALOGUE.find(control => control.id === id);
}
