import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { FailoverDrill, MeasuredRto } from '@internal/dr-readiness-common';
import {
  aResponseError,
  aServiceDetail,
  DR_TEST_NOW,
} from '../../__testUtils__/drFixtures';
import {
  mockDrApi,
  renderWithDrApi,
} from '../../__testUtils__/renderWithDrApi';
import { EntityDrContent } from '../EntityDrContent/EntityDrContent';
import { drillFieldErrors } from './RecordDrillDialog';

const ledger: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ledger-writer',
    annotations: { 'payments-platform/dr-tier': 'tier-0' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'ledger-team' },
};
const LEDGER_REF = 'component:default/ledger-writer';

const daysAgo = (days: number) =>
  new Date(DR_TEST_NOW.getTime() - days * 86_400_000).toISOString();

const DRILL: FailoverDrill = {
  id: 'drill-1',
  entityRef: LEDGER_REF,
  kind: 'aurora-global-failover',
  startedAt: daysAgo(20),
  endedAt: daysAgo(20),
  durationMinutes: 12,
  outcome: 'succeeded',
  link: 'https://runbooks.example.com/drills/1',
  recordedBy: 'user:default/maya.cohen',
  recordedAt: daysAgo(20),
};

const measured = (overrides: Partial<MeasuredRto> = {}): MeasuredRto => ({
  rtoMinutes: 15,
  drillWithinDays: 90,
  drillsRecorded: 1,
  drill: DRILL,
  ageDays: 20,
  withinRto: true,
  withinWindow: true,
  ...overrides,
});

function renderTab(
  api: ReturnType<typeof mockDrApi>,
  options: { denied?: string[] } = {},
) {
  return renderWithDrApi(
    <EntityProvider entity={ledger}>
      <EntityDrContent />
    </EntityProvider>,
    api,
    '/',
    options,
  );
}

// Rendering the whole DR tab takes seconds on a loaded machine.
jest.setTimeout(20_000);

describe('Measured RTO on the DR tab', () => {
  it('shows the newest drill: duration vs RTO, age and who ran it', async () => {
    const api = mockDrApi({
      getService: jest
        .fn()
        .mockResolvedValue(
          aServiceDetail({ entityRef: LEDGER_REF, measuredRto: measured() }),
        ),
    });
    await renderTab(api);
    const section = await screen.findByRole('region', { name: 'Measured RTO' });
    expect(section).toHaveTextContent(
      '12 min against an RTO of 15 min: aurora-global-failover on',
    );
    expect(section).toHaveTextContent('20 days ago, run by maya.cohen.');
    expect(
      within(section).getByRole('link', { name: 'Drill record' }),
    ).toHaveAttribute('href', 'https://runbooks.example.com/drills/1');
  });

  it('says when no drill is recorded', async () => {
    const api = mockDrApi({
      getService: jest.fn().mockResolvedValueOnce(
        aServiceDetail({
          measuredRto: measured({
            drill: undefined,
            ageDays: undefined,
            withinRto: undefined,
            withinWindow: undefined,
            drillsRecorded: 0,
          }),
        }),
      ),
    });
    await renderTab(api);
    expect(
      await screen.findByRole('region', { name: 'Measured RTO' }),
    ).toHaveTextContent('No failover drill recorded.');
  });

  it('records a drill from the dialog and shows the backend\u2019s 400 under each field it names', async () => {
    const api = mockDrApi({
      getService: jest
        .fn()
        .mockResolvedValue(
          aServiceDetail({ entityRef: LEDGER_REF, measuredRto: measured() }),
        ),
      recordDrill: jest
        .fn()
        .mockRejectedValueOnce(
          await aResponseError(
            400,
            'InputError',
            'Invalid drill: endedAt must be after startedAt: the service was restored after the failover began; link must be a URL of the drill record, e.g. https://...',
          ),
        )
        .mockResolvedValueOnce(DRILL),
    });
    await renderTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Record a drill' }),
    );
    const form = within(
      await screen.findByRole('form', { name: 'Record a drill' }),
    );
    fireEvent.change(form.getByLabelText('Started'), {
      target: { value: '2028-02-20T10:30' },
    });
    fireEvent.change(form.getByLabelText('Ended (service restored)'), {
      target: { value: '2028-02-20T10:10' },
    });
    fireEvent.change(
      form.getByRole('textbox', { name: 'Link to the drill record' }),
      { target: { value: 'runbook 12' } },
    );
    await userEvent.click(form.getByRole('button', { name: 'Record drill' }));

    expect(
      await form.findByText(
        'endedAt must be after startedAt: the service was restored after the failover began',
      ),
    ).toBeInTheDocument();
    expect(form.getByLabelText('Ended (service restored)')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(form.getByLabelText('Started')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(
      form.getByText(
        'link must be a URL of the drill record, e.g. https://...',
      ),
    ).toBeInTheDocument();
    expect(api.recordDrill).toHaveBeenCalledWith(
      LEDGER_REF,
      expect.objectContaining({
        kind: 'region-failover',
        outcome: 'succeeded',
        startedAt: new Date('2028-02-20T10:30').toISOString(),
        link: 'runbook 12',
      }),
    );
    // Never who ran it: the backend takes the signed-in user.
    expect(Object.keys(api.recordDrill.mock.calls[0][1])).not.toContain(
      'recordedBy',
    );

    await userEvent.click(form.getByRole('button', { name: 'Record drill' }));
    await waitFor(() => expect(api.getService).toHaveBeenCalledTimes(2));
  });

  it('disables Record a drill without dr.drill.create, and says why', async () => {
    const api = mockDrApi({
      getService: jest
        .fn()
        .mockResolvedValue(
          aServiceDetail({ entityRef: LEDGER_REF, measuredRto: measured() }),
        ),
    });
    await renderTab(api, { denied: ['dr.drill.create'] });
    expect(
      await screen.findByText(
        'Recording drills needs the dr.drill.create permission on this service.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Record a drill' }),
    ).toBeDisabled();
  });

  it('reads the fields a 400 names', () => {
    expect(
      drillFieldErrors(
        'Invalid drill: kind must be one of region-failover; endedAt is in the future; endedAt must be after startedAt; service x is not a Component',
      ),
    ).toEqual({
      kind: 'kind must be one of region-failover',
      endedAt: 'endedAt is in the future; endedAt must be after startedAt',
      service: 'service x is not a Component',
    });
  });
});
