import type {
  CollectionGap,
  DrResourceType,
} from '@internal/dr-readiness-common';
import { CONFIG_TYPE_OF, ConfigItem, field } from './items';

/**
 * The configuration recorders' own items (AWS::Config::ConfigurationRecorder): their recording
 * group says which resource types each account x region records. A DR type a recorder skips
 * returns no items there (Config does not return ResourceNotRecorded items to queries), which
 * must read as unknown, not as "no such resources": a discovery gap of that type.
 */
export const RECORDER_TYPE = 'AWS::Config::ConfigurationRecorder';

export type RecorderItem = ConfigItem;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter(v => typeof v === 'string') : [];

/** Whether a recorder's configuration records `configType` (recording on, and in its recording group). */
export function records(configuration: unknown, configType: string): boolean {
  if (field(configuration, 'recording') === false) return false;
  const group = field(configuration, 'recordingGroup');
  if (!group) return true;
  const strategy = field(field(group, 'recordingStrategy'), 'useOnly');
  if (strategy === 'EXCLUSION_BY_RESOURCE_TYPES')
    return !strings(
      field(field(group, 'exclusionByResourceTypes'), 'resourceTypes'),
    ).includes(configType);
  if (field(group, 'allSupported') === true) return true;
  return strings(field(group, 'resourceTypes')).includes(configType);
}

/**
 * A gap per covered scope and DR type its recorder does not record. A scope with no recorder
 * item says nothing more than its aggregator source's status (SUCCEEDED: the recorder runs).
 */
export function recorderGaps(
  recorders: RecorderItem[],
  scopes: Array<{ accountId: string; region: string }>,
  types: DrResourceType[],
): CollectionGap[] {
  const gaps: CollectionGap[] = [];
  for (const scope of scopes) {
    const own = recorders.filter(
      r => r.accountId === scope.accountId && r.awsRegion === scope.region,
    );
    if (own.length === 0) continue;
    for (const type of types) {
      const configType = CONFIG_TYPE_OF[type];
      if (own.some(r => records(r.configuration, configType))) continue;
      gaps.push({
        accountId: scope.accountId,
        region: scope.region,
        operation: 'config:SelectAggregateResourceConfig',
        code: 'ResourceTypeNotRecorded',
        message: `the configuration recorder ${
          own[0].resourceName ?? own[0].resourceId ?? ''
        } does not record ${configType} here: add it to the recorder's recording group (or set drReadiness.source: aws)`,
        resourceType: type,
      });
    }
  }
  return gaps;
}
