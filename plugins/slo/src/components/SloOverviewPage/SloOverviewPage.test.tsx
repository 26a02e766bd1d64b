import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  anOverview,
  aResponseError,
  NO_DATA,
  OK,
  PAGING,
  TICKET,
} from '../../__testUtils__/sloFixtures';
import {
  mockSloApi,
  renderSloPage,
} from '../../__testUtils__/renderWithSloApi';
import { sortSlos } from '../SloOverviewTable/sortSlos';

/** The SLO names of the table, top to bottom. */
function sloColumn(): string[] {
  const rows = within(
    screen.getByRole('table', { name: 'All SLOs' }),
  ).getAllByRole('row');
  return rows.flatMap(row => {
    const link = within(row).queryAllByRole('link')[0];
    return link && row.closest('tbody') ? [link.textContent ?? ''] : [];
  });
}

// Opening MUI selects and typing through userEvent takes seconds when the whole repo's suites run.
jest.setTimeout(20_000);

describe('SloOverviewPage', () => {
  it('lists every SLO worst first, each linking to its service SLO tab', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderSloPage('/slo', api);

    expect(sloColumn()).toEqual([
      'Card authorisation availability',
      'Payout scheduling',
      'Card authorisation under 250 ms',
      'Ledger posting availability',
    ]);
    expect(
      screen.getByRole('link', { name: 'Card authorisation availability' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/card-authorisation-service/slo',
    );
    expect(
      screen.getByRole('columnheader', { name: 'Burn status' }),
    ).toHaveAttribute('aria-sort', 'descending');

    const paging = screen
      .getByRole('link', { name: 'Card authorisation availability' })
      .closest('tr')!;
    expect(within(paging).getByText('99.95%')).toBeInTheDocument();
    expect(within(paging).getByText('99.932%')).toBeInTheDocument();
    expect(within(paging).getByText('\u221235.0%')).toBeInTheDocument();
    expect(within(paging).getByText('exhausted')).toBeInTheDocument();
    expect(
      within(paging).getByText('fast burn \u2014 page'),
    ).toBeInTheDocument();
    expect(within(paging).getByText('2 min ago')).toBeInTheDocument();
  });

  it('shows the worst objective of an SLO with several, and says it is the worst', async () => {
    const objective = (target: number, remaining: number) => ({
      target,
      attainment: 0.9997,
      hasData: true,
      budget: {
        remaining,
        allowed: 100,
        consumed: 100 - remaining * 100,
        exhausted: remaining <= 0,
      },
      burn: OK.burn,
    });
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          slos: [
            {
              ...OK,
              target: 0.9998,
              attainment: 0.9997,
              budget: objective(0.9998, -0.5).budget,
              objectives: [objective(0.9995, 0.4), objective(0.9998, -0.5)],
            },
          ],
        }),
      ),
    });
    await renderSloPage('/slo', api);
    const row = screen.getByText('worst of 2 objectives').closest('tr')!;
    expect(row).toHaveTextContent('99.98%');
    expect(within(row).getByText('\u221250.0%')).toBeInTheDocument();
    expect(within(row).getByText('exhausted')).toBeInTheDocument();
  });

  it('never shows 100% for an SLO without data', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          slos: [
            {
              ...NO_DATA,
              attainment: 1,
              budget: {
                remaining: 1,
                allowed: 0,
                consumed: 0,
                exhausted: false,
              },
            },
          ],
        }),
      ),
    });
    await renderSloPage('/slo', api);
    const row = screen
      .getByRole('link', { name: 'Card authorisation under 250 ms' })
      .closest('tr')!;
    expect(row).not.toHaveTextContent(/100(\.0+)?%/);
    expect(within(row).getAllByText('no data')).toHaveLength(3);
    expect(
      within(row).getByText(
        'Prometheus returned no samples for the total query over 28d',
      ),
    ).toBeInTheDocument();
  });

  it('counts spent budgets in the headline: never "all ok" while a budget is spent', async () => {
    const overview = anOverview();
    const slos = overview.slos.map(s => ({
      ...s,
      hasData: true,
      message: undefined,
      burn: { ...s.burn, status: 'ok' as const },
      budget: { remaining: 0.5, allowed: 100, consumed: 50, exhausted: false },
    }));
    slos[0].budget = {
      remaining: -0.2,
      allowed: 100,
      consumed: 120,
      exhausted: true,
    };
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue({ ...overview, slos }),
    });
    await renderSloPage('/slo', api);
    expect(screen.getByText('4 SLOs: 1 budget spent')).toBeInTheDocument();
    expect(screen.queryByText(/all ok/)).toBeNull();
  });

  it('says how many SLOs burn, when they were evaluated, and links to the weekly review', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderSloPage('/slo', api);

    expect(
      screen.getByText(
        '4 SLOs: 1 fast burn \u2014 page, 1 slow burn \u2014 ticket, 1 budget spent, 1 no data',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Evaluated 2 min ago/)).toBeInTheDocument();
    expect(screen.getByText(/96 PromQL queries/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Weekly review' })).toHaveAttribute(
      'href',
      '/slo/review',
    );
  });

  it('sorts by budget remaining, least first, SLOs without data last either way', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderSloPage('/slo', api);

    await userEvent.click(
      screen.getByRole('button', { name: 'Budget remaining' }),
    );
    expect(sloColumn()).toEqual([
      'Card authorisation availability',
      'Payout scheduling',
      'Ledger posting availability',
      'Card authorisation under 250 ms',
    ]);
    expect(
      screen.getByRole('columnheader', { name: 'Budget remaining' }),
    ).toHaveAttribute('aria-sort', 'ascending');

    await userEvent.click(
      screen.getByRole('button', { name: 'Budget remaining' }),
    );
    expect(sloColumn()).toEqual([
      'Ledger posting availability',
      'Payout scheduling',
      'Card authorisation availability',
      'Card authorisation under 250 ms',
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Burn status' }));
    expect(sloColumn()[0]).toBe('Card authorisation availability');
  });

  it('ranks statuses page, ticket, no data, ok and breaks ties on budget', () => {
    const lowOk = {
      ...OK,
      key: 'low',
      budget: { ...OK.budget!, remaining: 0.1 },
    };
    expect(
      sortSlos([OK, NO_DATA, lowOk, TICKET, PAGING], 'status', 'desc').map(
        s => s.key,
      ),
    ).toEqual([PAGING.key, TICKET.key, NO_DATA.key, 'low', OK.key]);
  });

  it('filters by product and by team', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderSloPage('/slo', api);

    await userEvent.click(screen.getByRole('combobox', { name: 'Product' }));
    await userEvent.click(
      screen.getByRole('option', { name: 'card-acquiring' }),
    );
    expect(sloColumn()).toEqual([
      'Card authorisation availability',
      'Card authorisation under 250 ms',
    ]);

    await userEvent.click(screen.getByRole('combobox', { name: 'Product' }));
    await userEvent.click(screen.getByRole('option', { name: 'All products' }));
    await userEvent.click(screen.getByRole('combobox', { name: 'Team' }));
    await userEvent.click(screen.getByRole('option', { name: 'ledger-team' }));
    expect(sloColumn()).toEqual(['Ledger posting availability']);

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter SLOs' }),
      'nothing like it',
    );
    expect(
      screen.getByText('No SLO matches these filters.'),
    ).toBeInTheDocument();
  });

  it('lists definitions that could not be used, naming their service, beside the valid SLOs', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(
        anOverview({
          problems: [
            {
              entityRef: 'component:default/wallet-balance-service',
              source: 'catalog/slos/wallet.yaml',
              message:
                'catalog/slos/wallet.yaml: document 1 (SLO wallet-availability): spec.objectives[0].target 99.9 must be between 0 and 1 (use targetPercent: 99.9 for percentages)',
            },
          ],
        }),
      ),
    });
    await renderSloPage('/slo', api);

    const problems = screen.getByRole('alert', {
      name: 'One SLO definition could not be used',
    });
    expect(problems).toHaveTextContent('wallet-balance-service');
    expect(problems).toHaveTextContent(
      'spec.objectives[0].target 99.9 must be between 0 and 1 (use targetPercent: 99.9 for percentages)',
    );
    expect(sloColumn()).toHaveLength(4);
  });

  it('says how to connect Prometheus when it is not connected', async () => {
    const api = mockSloApi({
      getOverview: jest
        .fn()
        .mockResolvedValue(
          anOverview({ slos: [NO_DATA], prometheus: { connected: false } }),
        ),
    });
    await renderSloPage('/slo', api);
    expect(
      screen.getByRole('alert', { name: 'Prometheus is not connected' }),
    ).toHaveTextContent('slo.prometheus.baseUrl');
    expect(screen.getByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('explains an empty organisation', async () => {
    const api = mockSloApi({
      getOverview: jest.fn().mockResolvedValue(anOverview({ slos: [] })),
    });
    await renderSloPage('/slo', api);
    expect(screen.getByText('No SLOs yet')).toBeInTheDocument();
  });

  it('tells a viewer without access, without a stack trace', async () => {
    const forbidden = await aResponseError(403, 'NotAllowedError', 'denied');
    const api = mockSloApi({
      getOverview: jest.fn().mockRejectedValue(forbidden),
    });
    await renderSloPage('/slo', api);
    expect(
      screen.getByText(/You are not allowed to see the SLO overview/),
    ).toBeInTheDocument();
  });
});
