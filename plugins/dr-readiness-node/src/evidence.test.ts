import type { EvidenceRecord } from '@internal/dr-readiness-common';
import {
  canonicalJson,
  evidenceCsvRows,
  evidenceDocument,
  evidenceHash,
  EvidenceHasher,
  formatCsv,
  resultEvidence,
  EVIDENCE_CSV_HEADER,
} from './evidence';

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, 2], c: 'x y' } })).toBe(
      '{"a":{"c":"x y","d":[3,1,2]},"b":1}',
    );
  });

  it('does not depend on the order keys were inserted in', () => {
    const one = {
      status: 'fail',
      facts: {
        resources: [{ arn: 'a', pointInTimeRecovery: false }],
        tier: 'tier-1',
      },
      controlId: 'dynamodb-pitr',
    };
    const other = {
      controlId: 'dynamodb-pitr',
      facts: {
        tier: 'tier-1',
        resources: [{ pointInTimeRecovery: false, arn: 'a' }],
      },
      status: 'fail',
    };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('tells apart values that differ only in array order', () => {
    expect(canonicalJson({ regions: ['eu-west-1', 'eu-west-2'] })).not.toBe(
      canonicalJson({ regions: ['eu-west-2', 'eu-west-1'] }),
    );
  });

  it('drops undefined from objects like JSON does, so a stored and reloaded document hashes the same', () => {
    const document = {
      a: undefined,
      b: [undefined, 1],
      c: new Date('2026-11-25T12:00:00Z'),
      d: Number.NaN,
      e: null,
    };
    expect(canonicalJson(document)).toBe(
      '{"b":[null,1],"c":"2026-11-25T12:00:00.000Z","d":null,"e":null}',
    );
    expect(canonicalJson(JSON.parse(JSON.stringify(document)))).toBe(
      canonicalJson(document),
    );
  });

  it('escapes strings as JSON and writes top-level scalars', () => {
    expect(canonicalJson('a "quoted"\nline')).toBe('"a \\"quoted\\"\\nline"');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(1.5)).toBe('1.5');
  });

  it('refuses cycles and bigints rather than hashing something else', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('cycle');
    expect(() => canonicalJson({ n: BigInt(1) })).toThrow('bigint');
  });

  it("writes what JSON.stringify writes with every object's keys sorted, for documents of every shape", () => {
    // A fixed pseudo-random sequence: the same documents every run.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const keys = ['b', 'a', 'zeta', 'Z', 'é', 'a b', 'aa', '_x', 'A1', 'ß'];
    const leaf = (): unknown =>
      [
        () => Math.round(next() * 1e6) / 100,
        () => `s${Math.floor(next() * 100)} "q"\n`,
        () => next() > 0.5,
        () => null,
        () => undefined,
        () => Number.NaN,
        () => new Date(Date.UTC(2027, 2, 1) + Math.floor(next() * 1e9)),
      ][Math.floor(next() * 7)]();
    const value = (depth: number): unknown => {
      if (depth === 0 || next() < 0.3) return leaf();
      if (next() < 0.4)
        return Array.from({ length: Math.floor(next() * 4) }, () =>
          value(depth - 1),
        );
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 6); i > 0; i--)
        object[keys[Math.floor(next() * keys.length)]] = value(depth - 1);
      return object;
    };
    const sortedStringify = (v: unknown) =>
      JSON.stringify(v, (_key, val) =>
        val && typeof val === 'object' && !Array.isArray(val)
          ? Object.fromEntries(
              Object.keys(val)
                .sort()
                .map(k => [k, val[k]]),
            )
          : val,
      );
    for (let i = 0; i < 300; i++) {
      const document = { root: value(5) };
      expect(canonicalJson(document)).toBe(sortedStringify(document));
    }
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe(
      '{"a":{"x":1},"b":{"x":1}}',
    );
  });
});

const call = {
  service: 'dynamodb',
  operation: 'DescribeContinuousBackups',
  accountId: '318402765190',
  region: 'eu-west-2',
  at: '2026-11-25T11:59:00.000Z',
  requestId: 'Q8T7K2',
};

describe('evidenceDocument', () => {
  const input = {
    entityRef: 'component:default/wallet-api',
    tier: 'tier-1',
    controlId: 'dynamodb-pitr',
    status: 'fail' as const,
    summary:
      '1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault',
    facts: {
      resources: [
        {
          arn: 'arn:aws:dynamodb:eu-west-2:318402765190:table/card-token-vault',
          pointInTimeRecovery: false,
        },
      ],
    },
    calls: [call, { ...call, requestId: undefined }],
    scanId: 'scan-42',
    scannedAt: '2026-11-25T12:00:00.000Z',
  };

  it('holds the result, its facts and calls, the scan and the document version', () => {
    expect(canonicalJson(evidenceDocument(input))).toBe(
      '{"calls":[{"accountId":"318402765190","at":"2026-11-25T11:59:00.000Z","operation":"DescribeContinuousBackups","region":"eu-west-2","requestId":"Q8T7K2","service":"dynamodb"},' +
        '{"accountId":"318402765190","at":"2026-11-25T11:59:00.000Z","operation":"DescribeContinuousBackups","region":"eu-west-2","service":"dynamodb"}],' +
        '"controlId":"dynamodb-pitr","entityRef":"component:default/wallet-api",' +
        '"facts":{"resources":[{"arn":"arn:aws:dynamodb:eu-west-2:318402765190:table/card-token-vault","pointInTimeRecovery":false}]},' +
        '"scanId":"scan-42","scannedAt":"2026-11-25T12:00:00.000Z","status":"fail",' +
        '"summary":"1 of 2 DynamoDB tables has point-in-time recovery disabled: card-token-vault","tier":"tier-1","version":1}',
    );
  });

  it('gives the same canonical text from an exported record as from the stored result', () => {
    const exported = JSON.parse(
      JSON.stringify({ ...input, controlTitle: 'ignored', evidenceHash: 'x' }),
    );
    expect(canonicalJson(evidenceDocument(exported))).toBe(
      canonicalJson(evidenceDocument(input)),
    );
  });

  it('changes when any covered field changes', () => {
    const base = canonicalJson(evidenceDocument(input));
    expect(
      canonicalJson(evidenceDocument({ ...input, status: 'pass' })),
    ).not.toBe(base);
    expect(
      canonicalJson(
        evidenceDocument({
          ...input,
          calls: [{ ...call, requestId: 'OTHER' }, input.calls[1]],
        }),
      ),
    ).not.toBe(base);
    expect(
      canonicalJson(evidenceDocument({ ...input, scanId: 'scan-43' })),
    ).not.toBe(base);
  });
});

describe('EvidenceHasher', () => {
  const shared = {
    service: 'backup',
    operation: 'ListRecoveryPointsByBackupVault',
    accountId: '318402765190',
    region: 'eu-west-2',
    at: '2026-11-25T11:58:00.000Z',
    requestId: 'R1',
  };
  const reused = { ...shared, requestId: undefined, reused: true };
  const results = [
    {
      controlId: 'backup-recovery-point-age',
      status: 'pass' as const,
      summary: 'Newest recovery point 2 h old: ledger "eu" \u00e9',
      resources: ['arn:aws:rds:eu-west-2:318402765190:cluster:ledger'],
      facts: {
        points: [{ at: new Date('2026-11-25T10:00:00Z') }],
        skip: undefined,
      },
      calls: [shared, reused],
    },
    {
      controlId: 'backup-vault-locked',
      status: 'error' as const,
      summary: 'could not read',
      fix: 'Grant backup:DescribeBackupVault',
      resources: [],
      facts: null,
      calls: [reused, shared, shared],
    },
    {
      controlId: 'route53-failover',
      status: 'fail' as const,
      summary: 'no record',
      resources: [],
      facts: undefined,
      calls: [],
    },
  ];

  it('gives every result the hash an auditor recomputes from its evidence document, calls shared or not', () => {
    const hasher = new EvidenceHasher();
    for (const result of [...results, ...results]) {
      const options = {
        entityRef: 'component:default/ledger',
        tier: 'tier-1',
        result: result as any,
        scanId: 'scan-7',
        scannedAt: '2026-11-25T12:00:00.000Z',
      };
      expect(hasher.hash(options)).toBe(evidenceHash(resultEvidence(options)));
    }
  });

  it('tells apart results whose shared calls differ', () => {
    const hasher = new EvidenceHasher();
    const options = (calls: unknown[]) => ({
      entityRef: 'component:default/ledger',
      tier: 'tier-1',
      result: { ...results[0], calls } as any,
      scanId: 'scan-7',
      scannedAt: '2026-11-25T12:00:00.000Z',
    });
    const both = hasher.hash(options([shared, reused]));
    expect(hasher.hash(options([reused, shared]))).not.toBe(both);
    expect(hasher.hash(options([shared]))).not.toBe(both);
    expect(
      hasher.hash(options([{ ...shared, requestId: 'R2' }, reused])),
    ).not.toBe(both);
  });
});

describe('evidenceCsvRows', () => {
  const record: EvidenceRecord = {
    entityRef: 'component:default/wallet-api',
    tier: 'tier-1',
    controlId: 'rds-global-or-replica',
    controlTitle: 'Aurora cross-Region replica',
    status: 'fail',
    summary:
      '1 of 1 Aurora cluster has no replica in the recovery region: ledger',
    scanId: 'scan-42',
    scannedAt: '2026-11-25T12:00:00.000Z',
    calls: [
      {
        ...call,
        service: 'tagging',
        operation: 'GetResources',
        requestId: 'T1',
      },
      {
        ...call,
        service: 'rds',
        operation: 'DescribeDBClusters',
        requestId: undefined,
      },
    ],
    facts: {},
    evidenceHash: 'ab12',
    waiver: {
      id: 'w1',
      entityRef: 'component:default/wallet-api',
      controlId: 'rds-global-or-replica',
      reason: 'Secondary cluster under CHG-1182',
      status: 'approved',
      approver: 'group:default/payments-risk',
      approvedAt: '2026-11-02T00:00:00.000Z',
      expiresAt: '2027-02-01T00:00:00.000Z',
      createdBy: 'user:default/alice',
      createdAt: '2026-11-01T00:00:00.000Z',
    },
  };

  it('writes the header, then one row per record with calls as service:Operation@account/region#requestId', () => {
    expect(
      evidenceCsvRows([
        record,
        { ...record, waiver: undefined, status: 'pass' },
      ]),
    ).toEqual([
      EVIDENCE_CSV_HEADER,
      [
        'component:default/wallet-api',
        'tier-1',
        'rds-global-or-replica',
        'Aurora cross-Region replica',
        'fail',
        '1 of 1 Aurora cluster has no replica in the recovery region: ledger',
        'scan-42',
        '2026-11-25T12:00:00.000Z',
        'tagging:GetResources@318402765190/eu-west-2#T1; rds:DescribeDBClusters@318402765190/eu-west-2',
        'ab12',
        'Secondary cluster under CHG-1182',
        'group:default/payments-risk',
        '2027-02-01T00:00:00.000Z',
      ],
      expect.arrayContaining(['pass', '', '']),
    ]);
    expect(EVIDENCE_CSV_HEADER).toEqual([
      'entityRef',
      'tier',
      'control',
      'controlTitle',
      'status',
      'summary',
      'scanId',
      'scannedAt',
      'calls',
      'evidenceHash',
      'waiverReason',
      'waiverApprover',
      'waiverExpiresAt',
    ]);
  });
});

describe('formatCsv', () => {
  it('quotes fields with commas, quotes or line breaks, and defuses formulas', () => {
    expect(
      formatCsv([
        ['a', 'b,c', 'say "hi"', 'two\nlines', '=HYPERLINK("x")', '-1'],
      ]),
    ).toBe('a,"b,c","say ""hi""","two\nlines","\'=HYPERLINK(""x"")",\'-1\r\n');
  });
});
