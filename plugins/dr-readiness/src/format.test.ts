import {
  formatMinutes,
  formatScore,
  formatUtc,
  gapSentence,
  groupGaps,
  waiverState,
} from './format';

describe('format', () => {
  it('writes RTO and RPO in the units people say them in', () => {
    expect(formatMinutes(1)).toBe('1 min');
    expect(formatMinutes(15)).toBe('15 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(90)).toBe('1 h 30 min');
    expect(formatMinutes(240)).toBe('4 h');
    expect(formatMinutes(1440)).toBe('24 h');
    expect(formatMinutes(10080)).toBe('7 d');
  });

  it('never rounds a score up to 100%', () => {
    expect(formatScore(0.996)).toBe('99%');
    expect(formatScore(1)).toBe('100%');
    expect(formatScore(0.29)).toBe('29%');
    expect(formatScore(0)).toBe('0%');
    expect(formatScore(null)).toBe('\u2014');
  });

  it('writes evidence times in UTC', () => {
    expect(formatUtc('2026-11-25T17:41:07.412Z')).toBe(
      '2026-11-25 17:41:07 UTC',
    );
    expect(formatUtc('not a time')).toBe('not a time');
  });

  it('names each unreadable account and region once, with every error code', () => {
    const gaps = groupGaps([
      {
        accountId: '318402765190',
        region: 'eu-west-1',
        operation: 'tagging:GetResources',
        code: 'AccessDenied',
        message: 'denied',
      },
      {
        accountId: '318402765190',
        region: 'eu-west-1',
        operation: 'backup:ListRestoreJobs',
        code: 'ThrottlingException',
        message: 'Rate exceeded',
      },
      {
        accountId: '104938271650',
        region: 'eu-west-2',
        operation: 'rds:DescribeDBClusters',
        code: 'AccessDenied',
        message: 'denied',
      },
    ]);
    expect(gaps.map(gapSentence)).toEqual([
      'eu-west-2 in 104938271650 could not be read: AccessDenied \u2014 its controls show as unknown',
      'eu-west-1 in 318402765190 could not be read: AccessDenied, ThrottlingException \u2014 its controls show as unknown',
    ]);
  });

  it('tells requested, active, expired and revoked waivers apart', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const approved = { status: 'approved' as const };
    expect(
      waiverState({ ...approved, expiresAt: '2026-12-01T00:00:00Z' }, now),
    ).toBe('active');
    expect(
      waiverState(
        { status: 'requested', expiresAt: '2026-12-01T00:00:00Z' },
        now,
      ),
    ).toBe('requested');
    expect(
      waiverState({ ...approved, expiresAt: '2026-11-25T11:59:59Z' }, now),
    ).toBe('expired');
    expect(
      waiverState(
        {
          ...approved,
          expiresAt: '2026-12-01T00:00:00Z',
          revokedAt: '2026-11-20T00:00:00Z',
        },
        now,
      ),
    ).toBe('revoked');
  });
});
