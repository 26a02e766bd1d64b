import { screen } from '@testing-library/react';
import {
  anSlo,
  FIXTURE_NOW,
  minutesAgo,
} from '../../__testUtils__/sloFixtures';
import {
  mockSloApi,
  renderWithSloApi,
} from '../../__testUtils__/renderWithSloApi';
import { SloCard } from './SloCard';

describe('SloCard: where a status was read from', () => {
  it('says a status came from the recording rules, and how old their samples were', async () => {
    await renderWithSloApi(
      <SloCard
        now={FIXTURE_NOW}
        slo={anSlo({
          name: 'card-authorisation-availability',
          evaluatedFrom: {
            source: 'recordingRules',
            recordedAt: minutesAgo(3),
          },
        })}
      />,
      mockSloApi(),
    );
    expect(
      screen.getByText(/from Prometheus recording rules \(written 3 min ago\)/),
    ).toBeInTheDocument();
  });

  it('says a status fell back to raw queries, and why', async () => {
    await renderWithSloApi(
      <SloCard
        now={FIXTURE_NOW}
        slo={anSlo({
          name: 'card-authorisation-availability',
          evaluatedFrom: {
            source: 'raw',
            reason: 'its recorded series are stale (last written 12 min ago)',
          },
        })}
      />,
      mockSloApi(),
    );
    expect(
      screen.getByText(
        'from raw PromQL queries: its recorded series are stale (last written 12 min ago)',
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/recording rules/)).not.toBeInTheDocument();
  });
});
