import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  aBurnDown,
  anEntitySlos,
  anSlo,
  aResponseError,
  NO_DATA,
  PAGING,
  TICKET,
} from '../../__testUtils__/sloFixtures';
import {
  mockSloApi,
  renderWithSloApi,
} from '../../__testUtils__/renderWithSloApi';
import { EntitySloContent } from './EntitySloContent';

const cardAuthorisation: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'card-authorisation-service',
    title: 'Card Authorisation Service',
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'card-acquiring-team',
    system: 'card-acquiring',
  },
};

const cardAcquiring: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'card-acquiring', title: 'Card Acquiring' },
  spec: { owner: 'card-acquiring-team' },
};

function renderTab(entity: Entity, api: ReturnType<typeof mockSloApi>) {
  return renderWithSloApi(
    <EntityProvider entity={entity}>
      <EntitySloContent />
    </EntityProvider>,
    api,
  );
}

function card(name: string) {
  return within(screen.getByRole('region', { name }));
}

describe('EntitySloContent', () => {
  it('shows each SLO as a card: target, window, attainment, budget, status, burn rates and definition', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(anEntitySlos()),
      getBurnDown: jest.fn().mockResolvedValue(aBurnDown()),
    });
    await renderTab(cardAuthorisation, api);

    expect(api.getEntitySlos).toHaveBeenCalledWith(
      'component:default/card-authorisation-service',
    );
    const paging = card('Card authorisation availability');
    expect(paging.getByText('99.95%')).toBeInTheDocument();
    expect(paging.getByText('28d rolling')).toBeInTheDocument();
    expect(paging.getByText('99.932%')).toBeInTheDocument();
    expect(paging.getByText('fast burn \u2014 page')).toBeInTheDocument();
    expect(
      paging.getByText('Burning 50.0\u00D7 over 1h and 5m: page'),
    ).toBeInTheDocument();

    const rates = within(
      paging.getByRole('table', {
        name: 'Burn rates of Card authorisation availability',
      }),
    );
    expect(rates.getByText('5m').closest('tr')).toHaveTextContent('52.1\u00D7');
    expect(rates.getByText('1h').closest('tr')).toHaveTextContent(
      '(worst)50.0\u00D7',
    );

    // Burn-down, fetched for this SLO only (the other one has no data).
    expect(api.getBurnDown).toHaveBeenCalledTimes(1);
    expect(api.getBurnDown).toHaveBeenCalledWith(PAGING.key);
    expect(
      await paging.findByRole('figure', {
        name: 'Remaining error budget over 28d rolling: from 100.0% to \u221235.0%',
      }),
    ).toBeInTheDocument();

    // The definition is collapsed until asked for.
    expect(
      paging.queryByText(/apiVersion: openslo\/v1/),
    ).not.toBeInTheDocument();
    await userEvent.click(paging.getByRole('button', { name: /Definition/ }));
    expect(paging.getByText(/apiVersion: openslo\/v1/)).toBeInTheDocument();
    expect(
      paging.getByText(/apiVersion: openslo\/v1/).closest('pre'),
    ).not.toBeNull();
  });

  it('keeps a failed burn-down inside its card, with a retry', async () => {
    const failure = await aResponseError(
      404,
      'NotFoundError',
      'No SLO with key x, or no Prometheus to read it from',
    );
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(anEntitySlos()),
      getBurnDown: jest
        .fn()
        .mockRejectedValueOnce(failure)
        .mockResolvedValue(aBurnDown()),
    });
    await renderTab(cardAuthorisation, api);

    const paging = card('Card authorisation availability');
    expect(
      await paging.findByText(
        'Could not load the burn-down: No SLO with key x, or no Prometheus to read it from',
      ),
    ).toBeInTheDocument();
    expect(paging.getByText('fast burn \u2014 page')).toBeInTheDocument();

    await userEvent.click(paging.getByRole('button', { name: 'Try again' }));
    expect(
      await paging.findByRole('figure', { name: /^Remaining error budget/ }),
    ).toBeInTheDocument();
  });

  it('shows an overspent budget as negative, red and exhausted', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(anEntitySlos()),
    });
    await renderTab(cardAuthorisation, api);

    const paging = card('Card authorisation availability');
    expect(paging.getByText('\u221235.0%')).toBeInTheDocument();
    expect(paging.getByText('exhausted')).toBeInTheDocument();
    expect(
      paging.getByText(
        '27,000 of 20,000 bad events allowed in the window spent',
      ),
    ).toBeInTheDocument();
  });

  it('shows every objective of an SLO with several, the worst one on top', async () => {
    const twoObjectives = anSlo({
      name: 'card-authorisation-availability',
      displayName: 'Card authorisation availability',
      target: 0.9995,
      attainment: 0.9993,
      budget: { remaining: -0.4, allowed: 500, consumed: 700, exhausted: true },
      objectives: [
        {
          displayName: 'Customers notice',
          target: 0.999,
          attainment: 0.9993,
          hasData: true,
          budget: {
            remaining: 0.3,
            allowed: 1000,
            consumed: 700,
            exhausted: false,
          },
          burn: {
            status: 'ok',
            message: 'no burn rate at an alert level',
            worst: { window: '1h', rate: 0.7 },
            rates: [{ window: '1h', rate: 0.7 }],
          },
        },
        {
          displayName: 'Scheme contract',
          target: 0.9995,
          attainment: 0.9993,
          hasData: true,
          budget: {
            remaining: -0.4,
            allowed: 500,
            consumed: 700,
            exhausted: true,
          },
          burn: {
            status: 'ticket',
            message: 'burn rate 1.4x over 3d',
            worst: { window: '3d', rate: 1.4 },
            rates: [{ window: '3d', rate: 1.4 }],
          },
        },
      ],
    });
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          slos: [{ ...twoObjectives, definitionYaml: 'kind: SLO\n' }],
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);

    const slo = card('Card authorisation availability');
    expect(slo.getByText('Worst objective')).toBeInTheDocument();
    const objectives = within(
      slo.getByRole('table', {
        name: 'Objectives of Card authorisation availability',
      }),
    );
    const loose = objectives.getByText('Customers notice').closest('tr')!;
    expect(loose).toHaveTextContent('99.9%');
    expect(loose).toHaveTextContent('99.930%');
    expect(loose).toHaveTextContent('30.0%');
    expect(loose).not.toHaveTextContent('exhausted');
    const strict = objectives.getByText('Scheme contract').closest('tr')!;
    expect(strict).toHaveTextContent('99.95%');
    expect(strict).toHaveTextContent('\u221240.0%');
    expect(strict).toHaveTextContent('exhausted');
    expect(strict).toHaveTextContent('slow burn \u2014 ticket');
    expect(strict).toHaveTextContent('1.40\u00D7 over 3d');
  });

  it('heads a card whose budget is spent with "budget spent" beside the burn status, not a lone "ok"', async () => {
    const spent = anSlo({
      name: 'fx-rates-availability',
      displayName: 'FX rates availability',
      budget: { remaining: -0.6, allowed: 100, consumed: 160, exhausted: true },
    });
    const healthy = anSlo({
      name: 'fx-quotes-availability',
      displayName: 'FX quotes availability',
    });
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          slos: [
            { ...spent, definitionYaml: 'kind: SLO\n' },
            { ...healthy, definitionYaml: 'kind: SLO\n' },
          ],
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);

    expect(
      card('FX rates availability').getByText('budget spent'),
    ).toBeInTheDocument();
    expect(
      card('FX quotes availability').queryByText('budget spent'),
    ).toBeNull();
  });

  it('keeps the single-objective card as it was: no objectives table', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          slos: [
            {
              ...PAGING,
              objectives: [
                {
                  target: PAGING.target,
                  attainment: PAGING.attainment,
                  hasData: true,
                  budget: PAGING.budget,
                  burn: PAGING.burn,
                },
              ],
              definitionYaml: 'kind: SLO\n',
            },
          ],
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);

    const paging = card('Card authorisation availability');
    expect(paging.getByText('Target')).toBeInTheDocument();
    expect(paging.queryByText('Worst objective')).not.toBeInTheDocument();
    expect(
      paging.queryByRole('table', { name: /^Objectives of/ }),
    ).not.toBeInTheDocument();
  });

  it('says a raw-ratio budget is a share of the window, not event-weighted', async () => {
    const raw = anSlo({
      name: 'card-authorisation-success-ratio',
      displayName: 'Card authorisation success ratio',
      indicatorKind: 'raw-ratio',
      target: 0.99,
      attainment: 0.997,
      budget: {
        remaining: 0.7,
        allowed: 0.01,
        consumed: 0.003,
        exhausted: false,
      },
      message:
        'raw ratio: not event-weighted (the source names no denominator)',
    });
    const api = mockSloApi({
      getEntitySlos: jest
        .fn()
        .mockResolvedValue(
          anEntitySlos({ slos: [{ ...raw, definitionYaml: 'kind: SLO\n' }] }),
        ),
    });
    await renderTab(cardAuthorisation, api);

    const slo = card('Card authorisation success ratio');
    expect(
      slo.getByText(
        '0.3% bad of 1% allowed, as a share of the window (raw ratio: not event-weighted)',
      ),
    ).toBeInTheDocument();
    expect(slo.getByText(/^raw ratio: not event-weighted/)).toBeInTheDocument();
  });

  it('never shows 100% for an SLO without data: it says "no data" with the reason', async () => {
    const noDataWithFullBudget = {
      ...NO_DATA,
      // Even if the backend sent figures alongside hasData: false, they are not shown.
      attainment: 1,
      budget: { remaining: 1, allowed: 0, consumed: 0, exhausted: false },
      definitionYaml: 'kind: SLO\n',
    };
    const api = mockSloApi({
      getEntitySlos: jest
        .fn()
        .mockResolvedValue(anEntitySlos({ slos: [noDataWithFullBudget] })),
    });
    await renderTab(cardAuthorisation, api);

    const slo = screen.getByRole('region', {
      name: 'Card authorisation under 250 ms',
    });
    expect(slo).not.toHaveTextContent(/100(\.0+)?%/);
    const inSlo = within(slo);
    expect(inSlo.getAllByText('no data').length).toBeGreaterThanOrEqual(3);
    expect(
      inSlo.getByText(
        'Prometheus returned no samples for the total query over 28d',
      ),
    ).toBeInTheDocument();
    expect(
      inSlo.getByText('Nothing to draw without data.'),
    ).toBeInTheDocument();
    expect(api.getBurnDown).not.toHaveBeenCalled();
  });

  it('labels each burn status', async () => {
    const ok = anSlo({ name: 'steady', displayName: 'Steady' });
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          slos: [ok, NO_DATA, TICKET, PAGING].map(slo => ({
            ...slo,
            definitionYaml: '',
          })),
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);

    expect(
      card('Card authorisation availability').getByText(
        'fast burn \u2014 page',
      ),
    ).toBeInTheDocument();
    expect(
      card('Payout scheduling').getByText('slow burn \u2014 ticket'),
    ).toBeInTheDocument();
    expect(
      card('Card authorisation under 250 ms').getByText('no data', {
        selector: '[class*="MuiChip-label"]',
      }),
    ).toBeInTheDocument();
    expect(card('Steady').getByText('ok')).toBeInTheDocument();
    // Worst first.
    expect(
      screen.getAllByRole('heading', { level: 3 }).map(h => h.textContent),
    ).toEqual([
      'Card authorisation availability',
      'Payout scheduling',
      'Card authorisation under 250 ms',
      'Steady',
    ]);
  });

  it('lists invalid definitions precisely while the valid SLOs still show', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          slos: [{ ...PAGING, definitionYaml: '' }],
          problems: [
            {
              entityRef: 'component:default/card-authorisation-service',
              source: 'catalog/slos/card-acquiring.yaml',
              message:
                'catalog/slos/card-acquiring.yaml: document 2 (SLO card-authorisation-latency): spec.objectivs is not a field (did you mean objectives?)',
            },
          ],
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);

    const problems = screen.getByRole('alert', {
      name: 'One SLO definition could not be used',
    });
    expect(problems).toHaveTextContent(
      'catalog/slos/card-acquiring.yaml: document 2 (SLO card-authorisation-latency): spec.objectivs is not a field (did you mean objectives?)',
    );
    expect(
      screen.getByRole('region', { name: 'Card authorisation availability' }),
    ).toBeInTheDocument();
  });

  it('explains a service without the SLO annotation as information, not as an error', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue({
        entityRef: 'component:default/card-authorisation-service',
        slos: [],
        problems: [],
        prometheus: { connected: true },
        unannotated: true,
        hint: 'Add the annotation payments-platform/slo-definitions with the path of an OpenSLO file.',
      }),
    });
    await renderTab(cardAuthorisation, api);

    expect(
      screen.getByText('No SLOs defined for this service yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Add the annotation payments-platform/slo-definitions with the path of an OpenSLO file.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Download Prometheus rules' }),
    ).not.toBeInTheDocument();
  });

  it('says how to connect Prometheus when none is configured', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          slos: [{ ...NO_DATA, definitionYaml: '' }],
          prometheus: { connected: false },
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);

    const notice = screen.getByRole('alert', {
      name: 'Prometheus is not connected',
    });
    expect(notice).toHaveTextContent('slo.prometheus.baseUrl');
    expect(notice).toHaveTextContent('apt-get install prometheus');
  });

  it('names the Prometheus it could not reach', async () => {
    const api = mockSloApi({
      getEntitySlos: jest.fn().mockResolvedValue(
        anEntitySlos({
          prometheus: {
            connected: false,
            url: 'http://127.0.0.1:9099',
            error: 'connect ECONNREFUSED 127.0.0.1:9099',
          },
        }),
      ),
    });
    await renderTab(cardAuthorisation, api);
    expect(
      screen.getByRole('alert', { name: 'Prometheus is not connected' }),
    ).toHaveTextContent(
      'could not reach Prometheus at http://127.0.0.1:9099: connect ECONNREFUSED 127.0.0.1:9099',
    );
  });

  it('shows a product the SLOs of its services, each naming its service, and offers its Prometheus rules', async () => {
    const api = mockSloApi({
      getEntitySlos: jest
        .fn()
        .mockResolvedValue(
          anEntitySlos({ entityRef: 'system:default/card-acquiring' }),
        ),
    });
    const createObjectURL = jest.fn(() => 'blob:rules');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    // jsdom cannot follow the download link; the browser saves the file.
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderTab(cardAcquiring, api);

    expect(api.getEntitySlos).toHaveBeenCalledWith(
      'system:default/card-acquiring',
    );
    expect(
      card('Card authorisation availability').getByText('Service:'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Download Prometheus rules' }),
    );
    expect(api.downloadRules).toHaveBeenCalledWith(
      'system:default/card-acquiring',
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(createObjectURL).toHaveBeenCalled();
    click.mockRestore();
  });

  it('shows the backend error with a retry when the call fails', async () => {
    const failure = await aResponseError(500, 'Error', 'database is locked');
    const api = mockSloApi({
      getEntitySlos: jest
        .fn()
        .mockRejectedValueOnce(failure)
        .mockResolvedValue(anEntitySlos()),
    });
    await renderTab(cardAuthorisation, api);
    expect(screen.getByText('database is locked')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('region', {
        name: 'Card authorisation availability',
      }),
    ).toBeInTheDocument();
  });
});
