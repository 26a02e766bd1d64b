/**
 * Scaffolder actions of the payments golden paths: taxonomy validation, DR tier requirements,
 * SLO defaults and local publishing.
 *
 * @packageDocumentation
 */
export { scaffolderModulePayments as default } from './module';
export {
  createTaxonomyValidateAction,
  TAXONOMY_VALIDATE_ACTION_ID,
} from './actions/taxonomyValidate';
export {
  createDrRequirementsAction,
  DR_REQUIREMENTS_ACTION_ID,
} from './actions/drRequirements';
export {
  createSloDefaultsAction,
  SLO_DEFAULTS_ACTION_ID,
  SLO_TIER_DEFAULTS,
} from './actions/sloDefaults';
export type { SloTierDefaults, ServiceKind } from './actions/sloDefaults';
export {
  createPublishLocalAction,
  PUBLISH_LOCAL_ACTION_ID,
} from './actions/publishLocal';
export {
  createPublishTargetAction,
  PUBLISH_TARGET_ACTION_ID,
} from './actions/publishTarget';
export {
  createGoldenPathProposeAction,
  GOLDEN_PATH_PROPOSE_ACTION_ID,
} from './actions/goldenPathPropose';
export {
  createGoldenPathPullRequestAction,
  GOLDEN_PATH_PULL_REQUEST_ACTION_ID,
} from './actions/goldenPathPullRequest';
export { readLocalPublishSettings } from './config';
export type { LocalPublishSettings } from './config';
