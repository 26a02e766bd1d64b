import { awsJsonProtocol } from '../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import type { KmsKey } from '../estate/dr';
import { opaquePage, pageSize } from './common';

/** The key a DescribeKey `KeyId` names: key id, key ARN, alias name or alias ARN, in the caller's account and region. */
function findKey(keyId: unknown, ctx: CallContext): KmsKey {
  if (typeof keyId !== 'string' || keyId === '') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  }
  const keys = ctx.estate.dr.scope(ctx.account.id, ctx.region).keys;
  const aliasPrefix = `arn:aws:kms:${ctx.region}:${ctx.account.id}:`;
  let alias: string | undefined;
  if (keyId.startsWith('alias/')) alias = keyId;
  else if (keyId.startsWith(`${aliasPrefix}alias/`))
    alias = keyId.slice(aliasPrefix.length);
  const key = alias
    ? keys.find(k => k.aliases.includes(alias))
    : keys.find(k => k.keyId === keyId || k.arn === keyId);
  if (!key) {
    const keyArn = keyId.startsWith('arn:')
      ? keyId
      : `${aliasPrefix}key/${keyId}`;
    throw new AwsError(
      'NotFoundException',
      alias
        ? `Alias ${aliasPrefix}${alias} is not found.`
        : `Key '${keyArn}' does not exist`,
    );
  }
  return key;
}

/** A key scheduled for deletion is deleted this long after (the estate's keys: 30 days from 10 days ago). */
const PENDING_WINDOW_DAYS = 30;

export function keyMetadata(k: KmsKey, ctx: CallContext) {
  const state = k.keyState ?? 'Enabled';
  return {
    AWSAccountId: k.accountId,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: k.created,
    Enabled: state === 'Enabled',
    Description: k.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: state,
    ...(state === 'PendingDeletion'
      ? {
          DeletionDate: new Date(
            ctx.now.getTime() + (PENDING_WINDOW_DAYS - 10) * 86_400_000,
          ),
          PendingDeletionWindowInDays: PENDING_WINDOW_DAYS,
        }
      : {}),
    Origin: 'AWS_KMS',
    KeyManager: k.manager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: k.multiRegion,
    MultiRegionConfiguration: k.multiRegion
      ? {
          MultiRegionKeyType: k.multiRegionType,
          PrimaryKey: { Arn: k.primary!.arn, Region: k.primary!.region },
          ReplicaKeys: k.replicas.map(r => ({ Arn: r.arn, Region: r.region })),
        }
      : undefined,
  };
}

/** AWS KMS over awsJson1_1: the keys (customer and AWS managed) and their multi-Region configuration. */
export const kmsService: AwsServiceDefinition = {
  signingName: 'kms',
  statsPrefix: 'kms',
  protocol: awsJsonProtocol('1.1', 'TrentService'),
  operations: {
    ListKeys: (input: Record<string, unknown>, ctx: CallContext) => {
      const limit = pageSize(
        input.Limit,
        'Limit',
        { min: 1, max: 1000, default: 100 },
        'ValidationException',
      );
      const keys = ctx.estate.dr.scope(ctx.account.id, ctx.region).keys;
      const page = opaquePage(keys, input, ctx, {
        tokenField: 'Marker',
        size: limit,
        errorCode: 'InvalidMarkerException',
      });
      return {
        Keys: page.items.map(k => ({ KeyId: k.keyId, KeyArn: k.arn })),
        NextMarker: page.next,
        Truncated: Boolean(page.next),
      };
    },

    DescribeKey: (input: Record<string, unknown>, ctx: CallContext) => ({
      KeyMetadata: keyMetadata(findKey(input.KeyId, ctx), ctx),
    }),
  },
};
