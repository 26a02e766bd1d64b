import type {
  ControlDefinition,
  DrResourceType,
} from '@internal/dr-readiness-common';
import { BACKUP_CONTROLS } from './backup';
import { DRILL_CONTROLS } from './drills';
import { DYNAMODB_CONTROLS } from './dynamodb';
import { ELASTICACHE_CONTROLS } from './elasticache';
import { KMS_CONTROLS } from './kms';
import { RDS_CONTROLS } from './rds';
import { REPLICATION_CONTROLS } from './replication';
import { ROUTE53_CONTROLS } from './route53';
import { S3_CONTROLS } from './s3';
import { SECRETS_CONTROLS } from './secrets';
import type { DrControl } from './types';

export { BACKUP_TYPES } from './backup';
export { drillWindowDays, measureRto } from './drills';
export type {
  CheckContext,
  DrControl,
  ResourceControl,
  ServiceControl,
} from './types';

/**
 * The registry of DR controls, one definition each, in catalogue order: the order of the API's
 * `controls`, the scorecard's columns and the docs. A tier (config `drReadiness.tiers[].controls`)
 * picks the ones it requires, with weights. One file per family (the keys of DR_CONTROL_FAMILIES). References name what an auditor already knows: AWS
 * Config managed rules and AWS Backup Audit Manager controls.
 */
export const DR_CONTROL_FAMILIES = {
  rds: RDS_CONTROLS,
  backup: BACKUP_CONTROLS,
  dynamodb: DYNAMODB_CONTROLS,
  s3: S3_CONTROLS,
  elasticache: ELASTICACHE_CONTROLS,
  route53: ROUTE53_CONTROLS,
  drills: DRILL_CONTROLS,
  kms: KMS_CONTROLS,
  secrets: SECRETS_CONTROLS,
  replication: REPLICATION_CONTROLS,
} as const;

export const DR_CONTROL_REGISTRY: readonly DrControl[] =
  Object.values(DR_CONTROL_FAMILIES).flat();

const byId = new Map(DR_CONTROL_REGISTRY.map(control => [control.id, control]));

/** The catalogue entry of a control: only the fields the API serves. */
function definitionOf(control: DrControl): ControlDefinition {
  const { id, title, description, area, references } = control;
  return { id, title, description, area, references };
}

/** The catalogue of controls, as the API serves it (derived from the registry). */
export const DR_CONTROLS: ControlDefinition[] =
  DR_CONTROL_REGISTRY.map(definitionOf);

/** Control ids in catalogue order. */
export const DR_CONTROL_IDS: string[] = DR_CONTROLS.map(control => control.id);

/** Looks a control's definition up by id. */
export function findDrControl(id: string): ControlDefinition | undefined {
  return DR_CONTROLS.find(control => control.id === id);
}

/** Looks a control, with its check, up by id. */
export function findRegisteredControl(id: string): DrControl | undefined {
  return byId.get(id);
}

/** The resource types a set of controls reads: what a tier's controls need the scan to describe. */
/** The controls that read a bucket's replication rules (GetBucketReplication, GetBucketLocation). */
const READS_BUCKET_REPLICATION = [
  's3-replication',
  'replication-lag-within-rpo',
];

/**
 * Whether a tier's controls read S3 replication: a tier that reads only versioning does not
 * pay a GetBucketReplication per bucket (and GetBucketLocation per destination) it never judges.
 */
export function readsBucketReplication(controlIds: string[]): boolean {
  return controlIds.some(id => READS_BUCKET_REPLICATION.includes(id));
}

export function resourceTypesFor(
  controlIds: string[],
): ReadonlySet<DrResourceType> {
  return new Set(controlIds.flatMap(id => byId.get(id)?.types ?? []));
}
