import { render, screen, within } from '@testing-library/react';
import { PITR_RESULT } from '../../__testUtils__/drFixtures';
import { formatUtc } from '../../format';
import { EvidenceDetail, formatFacts, queryLabel } from './EvidenceDetail';

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

  it("names what each AWS Config query asked, with the query as the caption's title", () => {
    const [describeTable] = PITR_RESULT.calls;
    const config = {
      ...describeTable,
      service: 'config',
      operation: 'SelectAggregateResourceConfig',
    };
    const delta =
      "SELECT resourceId, configuration WHERE resourceType = 'AWS::DynamoDB::Table' AND configurationItemCaptureTime > '2026-11-25T10:00:00.000Z'";
    render(
      <EvidenceDetail
        result={{
          ...PITR_RESULT,
          calls: [
            {
              ...config,
              query:
                "SELECT resourceId, configuration WHERE resourceType = 'AWS::DynamoDB::Table'",
              reused: true,
            },
            { ...config, requestId: 'delta', query: delta },
            {
              ...config,
              requestId: 'count',
              query:
                "SELECT resourceType, COUNT(*) WHERE resourceType IN ('AWS::DynamoDB::Table') GROUP BY resourceType",
            },
            describeTable,
          ],
        }}
      />,
    );
    const rows = within(
      screen.getByRole('table', {
        name: 'AWS API calls for Point-in-time recovery',
      }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('all AWS::DynamoDB::Table items');
    expect(rows[2]).toHaveTextContent(
      `AWS::DynamoDB::Table items captured after ${formatUtc(
        '2026-11-25T10:00:00.000Z',
      )}`,
    );
    expect(within(rows[2]).getByTitle(delta)).toBeInTheDocument();
    expect(rows[3]).toHaveTextContent('count of items per type');
    // A call that is no query has no caption.
    expect(rows[4]).toHaveTextContent(/^dynamodbDescribeTable/);
    expect(queryLabel('SELECT COUNT(*)')).toBe('count of items per type');
  });
});
