import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { CollectedResource } from '@internal/dr-readiness-common';
import { CallCounter, CallTarget, Limiter } from '../calls';
import { describeRdsInstances } from './rdsInstances';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const ACCOUNT = '318402765190';
const arn = (id: string, region = 'eu-west-2') =>
  `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`;

const resource = (id: string): CollectedResource => ({
  arn: arn(id),
  resourceType: 'rds:db',
  accountId: ACCOUNT,
  region: 'eu-west-2',
  tags: {},
  calls: [],
});

describe('describeRdsInstances', () => {
  it('pages DescribeDBInstances once for the scope, reads each instance and sets aside Aurora members', async () => {
    const pages = [
      {
        DBInstances: [
          {
            DBInstanceIdentifier: 'fx-audit',
            DBInstanceArn: arn('fx-audit'),
            Engine: 'postgres',
            MultiAZ: false,
            AvailabilityZone: 'eu-west-2b',
            BackupRetentionPeriod: 14,
            DeletionProtection: true,
            StorageEncrypted: true,
            KmsKeyId: 'k',
            ReadReplicaDBInstanceIdentifiers: [
              'fx-audit-local',
              arn('fx-audit-dr', 'eu-west-1'),
            ],
            DBInstanceAutomatedBackupsReplications: [
              {
                DBInstanceAutomatedBackupsArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:auto-backup:ab-1`,
              },
            ],
          },
        ],
        Marker: 'next',
      },
      {
        DBInstances: [
          {
            DBInstanceIdentifier: 'ledger-1',
            DBInstanceArn: arn('ledger-1'),
            DBClusterIdentifier: 'ledger',
          },
        ],
      },
    ];
    const markers: Array<string | undefined> = [];
    // A real client (the SDK paginator checks its class) whose send answers the pages.
    const client = new RDSClient({ region: 'eu-west-2' });
    const send = async (command: DescribeDBInstancesCommand) => {
      markers.push(command.input.Marker);
      return {
        $metadata: { requestId: `req-${markers.length}` },
        ...pages[markers.length - 1],
      };
    };
    client.send = send as unknown as RDSClient['send'];
    const counter = new CallCounter();
    const target: CallTarget = {
      service: 'rds',
      accountId: ACCOUNT,
      region: 'eu-west-2',
      limiter: new Limiter(2),
      counter,
      now: () => NOW,
    };
    const audit = resource('fx-audit');
    const member = resource('ledger-1');
    const gone = resource('dropped');
    const members = await describeRdsInstances(client, target, [
      audit,
      member,
      gone,
    ]);
    expect(markers).toEqual([undefined, 'next']);
    expect(counter.calls).toEqual({ 'rds:DescribeDBInstances': 2 });
    expect(audit.facts).toEqual({
      kind: 'rds:db',
      identifier: 'fx-audit',
      engine: 'postgres',
      multiAz: false,
      availabilityZone: 'eu-west-2b',
      backupRetentionDays: 14,
      deletionProtection: true,
      storageEncrypted: true,
      kmsKeyId: 'k',
      replicaRegions: ['eu-west-1'],
      replicationSource: undefined,
      automatedBackupReplicationRegions: ['eu-west-1'],
    });
    expect([...members]).toEqual([member.arn]);
    expect(member.facts).toBeUndefined();
    expect(gone.error).toContain('tagged but not found');
  });
});
