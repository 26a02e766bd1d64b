import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { UpgradePlan } from '@internal/golden-paths-common';
import {
  type GoldenPathsDeps,
  loadService,
  newerThan,
  type ServiceState,
  upgradeLanded,
} from './context';
import { newParametersOf, templateParameters } from './parameters';

/** The target version: the one asked for (a released one), else the latest. */
export function targetVersion(
  state: ServiceState,
  toVersion: string | undefined,
): string {
  const name = state.recorded.template.name;
  if (state.versions.length === 0) {
    throw new InputError(
      `The template ${name} has no released versions (values.templateVersion of its fetch:template steps)`,
    );
  }
  if (toVersion === undefined) return state.versions[0];
  if (!state.versions.includes(toVersion)) {
    throw new InputError(
      `toVersion '${toVersion}' is not a released version of ${name}; choose one of ${state.versions.join(
        ', ',
      )}`,
    );
  }
  return toVersion;
}

/**
 * What upgrading a service takes: its recorded version and answers, the target version (the
 * latest unless asked), the parameters the target asks that the answers lack (with their
 * defaults filled in), and the open proposal if there is one.
 */
export async function planUpgrade(
  deps: GoldenPathsDeps,
  request: { entityRef: string; toVersion?: string },
  credentials: BackstageCredentials,
): Promise<UpgradePlan> {
  const state = await loadService(deps, request.entityRef, credentials);
  const { recorded } = state;
  const toVersion = targetVersion(state, request.toVersion);
  const snapshot = await (
    await deps.history()
  ).snapshot(recorded.template.name, toVersion);
  const { fields, answers } = newParametersOf(
    templateParameters(snapshot.template),
    recorded.answers,
  );
  // An upgrade merged outside the portal is open in the store but done: not what holds back the next.
  const [open] = (await deps.store.openFor(state.entityRef)).filter(
    p => !upgradeLanded(p, recorded.template.version, state.versions),
  );
  return {
    entityRef: state.entityRef,
    templateRef: state.templateRef,
    template: recorded.template.name,
    fromVersion: recorded.template.version,
    toVersion,
    newerVersions: newerThan(state.versions, recorded.template.version)
      .slice()
      .reverse(),
    answers,
    newParameters: fields,
    ...(open
      ? {
          openProposal: {
            id: open.id,
            toVersion: open.toVersion,
            status: open.status,
          },
        }
      : {}),
  };
}
