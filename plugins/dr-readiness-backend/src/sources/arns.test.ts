import { isDrType, lastSegment, regionOfArn, resourceTypeOf } from './arns';

describe('ARNs', () => {
  it.each([
    [
      'arn:aws:rds:eu-west-1:111111111111:cluster:payments-db',
      'rds:cluster',
      'payments-db',
    ],
    [
      'arn:aws:dynamodb:eu-west-1:111111111111:table/ledger',
      'dynamodb:table',
      'ledger',
    ],
    ['arn:aws:s3:::payments-receipts', 's3:bucket', 'payments-receipts'],
    [
      'arn:aws:elasticache:eu-west-1:111111111111:replicationgroup:sessions',
      'elasticache:replicationgroup',
      'sessions',
    ],
    [
      'arn:aws:kms:eu-west-1:111111111111:key/1234-abcd',
      'kms:key',
      '1234-abcd',
    ],
    [
      'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf',
      'secretsmanager:secret',
      'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf',
    ],
  ])('%s is a %s named %s', (arn, type, name) => {
    expect(resourceTypeOf(arn)).toBe(type);
    expect(isDrType(resourceTypeOf(arn))).toBe(true);
    expect(lastSegment(arn)).toBe(name);
  });

  it('knows the DR types only', () => {
    expect(isDrType('ec2:instance')).toBe(false);
  });

  it('reads the region of an ARN', () => {
    expect(regionOfArn('arn:aws:rds:us-east-1:1:cluster:a')).toBe('us-east-1');
    expect(regionOfArn(undefined)).toBe('');
  });
});
