import type {
  ControlResult,
  DrTier,
  ServiceFacts,
} from '@internal/dr-readiness-common';
import { DR_CONTROL_IDS, findRegisteredControl } from './controls';
import type { CheckContext } from './controls/types';
import { evaluateResourceControl, tierKey } from './evaluateResourceControl';
import { unknownControlMessage } from './unknownControl';

export { dedupeCalls, formatMinutes } from './controls/support';

/** One control for one service. An id not in the registry answers `error`, naming the fix. */
export function evaluateControl(
  controlId: string,
  facts: ServiceFacts,
  tier: DrTier,
  now: Date,
): ControlResult {
  const ctx: CheckContext = { facts, tier, now };
  const control = findRegisteredControl(controlId);
  if (!control) {
    return {
      controlId,
      status: 'error',
      summary: `Tier ${
        tier.id
      } lists a control this portal does not know: ${unknownControlMessage(
        controlId,
      )}`,
      fix: `Correct the id in ${tierKey(tier)}.controls.`,
      resources: [],
      facts: { tier: tier.id, controlId },
      calls: [],
    };
  }
  return control.kind === 'service'
    ? control.evaluate(ctx)
    : evaluateResourceControl(control, ctx);
}

/** Every control the tier requires, in the tier's order, for one service's facts. */
export function evaluateControls(
  facts: ServiceFacts,
  tier: DrTier,
  now: Date,
): ControlResult[] {
  return (tier.controls ?? []).map(control =>
    evaluateControl(control.id, facts, tier, now),
  );
}

/** The control ids that have a check: every control of the registry has one. */
export const CHECKED_CONTROL_IDS: string[] = [...DR_CONTROL_IDS];
