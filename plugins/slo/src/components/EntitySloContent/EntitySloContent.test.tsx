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
