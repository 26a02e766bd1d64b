import { render, screen, within } from '@testing-library/react';
import { PITR_RESULT } from '../../__testUtils__/drFixtures';
import { formatUtc } from '../../format';
import { EvidenceDetail, formatFacts } from './EvidenceDetail';

describe('formatFacts', () => {
  it("keeps a measured lag's hourly series on one line and the rest indented", () => {
    const text = formatFacts({
      rpoMinutes: 15,
      replicationLag: [
        {
          destination: 'eu-west-1',
          p99Minutes: 0.04,
          hourlyMaxMinutes: [0.03, null, 0.04],
        },
      ],
      availabilityZones: ['eu-west-2a'],
    });
    expect(text).toContain('"hourlyMaxMinutes": [0.03,null,0.04]');
    expect(text).toContain('"availabilityZones": [\n    "eu-west-2a"\n  ]');
    expect(JSON.parse(text)).toEqual({
      rpoMinutes: 15,
      replicationLag: [
        {
          destination: 'eu-west-1',
          p99Minutes: 0.04,
          hourlyMaxMinutes: [0.03, null, 0.04],
        },
      ],
      availabilityZones: ['eu-west-2a'],
    });
  });

  it('says when there are no facts', () => {
    expect(formatFacts(undefined)).toBe('No facts recorded.');
  });
});

describe('EvidenceDetail', () => {
  it('marks a call an earlier scan made and the Config source reused, beside its own time', () => {
    const [describeTable, continuousBackups] = PITR_RESULT.calls;
    render(
      <EvidenceDetail
        result={{
          ...PITR_RESULT,
          calls: [
            describeTable,
            {
              ...continuousBackups,
              at: '2026-11-25T11:41:07.655Z',
              reused: true,
            },
          ],
        }}
      />,
    );
    const rows = within(
      screen.getByRole('table', {
        name: 'AWS API calls for Point-in-time recovery',
      }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('DescribeTable');
    expect(rows[1]).not.toHaveTextContent('earlier scan');
    expect(rows[2]).toHaveTextContent('DescribeContinuousBackups');
    expect(rows[2]).toHaveTextContent(
      `${formatUtc('2026-11-25T11:41:07.655Z')}earlier scan, unchanged since`,
    );
  });
});
