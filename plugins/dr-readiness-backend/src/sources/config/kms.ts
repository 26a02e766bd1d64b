import type { KeyMetadata } from '@aws-sdk/client-kms';
import { sdkShape } from './items';

/** An AWS::KMS::Key item in DescribeKey's KeyMetadata shape (`arn` is KMS's `Arn`), for kmsKeyFacts. */
export const keyOfItem = (configuration: unknown): KeyMetadata =>
  sdkShape<KeyMetadata>(configuration, { arn: 'Arn' });
