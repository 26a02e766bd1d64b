import type {
  ContinuousBackupsDescription,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { sdkShape } from './items';
import type { ConfigItem } from './items';

/**
 * An AWS::DynamoDB::Table item in DescribeTable's and DescribeContinuousBackups' shapes, for
 * dynamoTableFacts. Not in the item: PointInTimeRecoveryDescription.RecoveryPeriodInDays
 * (DescribeContinuousBackups per table with PITR enabled) and a 2017.11.29 global table's
 * replicas (DescribeGlobalTable, as the describer reads them).
 */
export function tableOfItem(item: ConfigItem): {
  table: TableDescription;
  /** Undefined when the item has no ContinuousBackupsDescription. */
  backups?: ContinuousBackupsDescription;
} {
  const supplementary = item.supplementaryConfiguration ?? {};
  const backups = supplementary.ContinuousBackupsDescription;
  return {
    table: sdkShape<TableDescription>(item.configuration),
    backups:
      backups && typeof backups === 'object'
        ? sdkShape<ContinuousBackupsDescription>(backups)
        : undefined,
  };
}

/**
 * Whether the item leaves a fact of the table unknown that DescribeContinuousBackups gives: no
 * continuous backups description, or PITR enabled without its recovery period.
 */
export function needsContinuousBackups(
  backups: ContinuousBackupsDescription | undefined,
): boolean {
  const pitr = backups?.PointInTimeRecoveryDescription;
  if (!pitr?.PointInTimeRecoveryStatus) return true;
  return (
    pitr.PointInTimeRecoveryStatus === 'ENABLED' &&
    pitr.RecoveryPeriodInDays === undefined
  );
}
