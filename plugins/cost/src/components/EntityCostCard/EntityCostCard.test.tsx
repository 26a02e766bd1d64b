import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  aMappedEntityCost,
  aResponseError,
} from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderWithCostApi,
} from '../../__testUtils__/renderWithCostApi';
import { EntityCostCard } from './EntityCostCard';

const ledger: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'ledger', title: 'Ledger' },
  spec: { owner: 'ledger-team' },
};

const ledgerWriter: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger-writer', title: 'Ledger Writer' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'ledger-team',
    system: 'ledger',
  },
};

function renderCard(entity: Entity, api: ReturnType<typeof mockCostApi>) {
  return renderWithCostApi(
    <EntityProvider entity={entity}>
      <EntityCostCard />
    </EntityProvider>,
    api,
  );
}

describe('EntityCostCard', () => {
  it('shows a product its last full month, month to date, change, top services and a link to its cost view', async () => {
    const api = mockCostApi({
      getEntityCost: jest.fn().mockResolvedValue(aMappedEntityCost()),
    });
    await renderCard(ledger, api);

    expect(api.getEntityCost).toHaveBeenCalledWith('system:default/ledger');
    expect(screen.getByText('October 2026')).toBeInTheDocument();
    expect(screen.getByText('$48,210')).toBeInTheDocument();
    expect(screen.getByText('$22,011')).toBeInTheDocument();
    expect(screen.getByText('\u22123.2%')).toBeInTheDocument();
    expect(screen.getByText('Top services')).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Cost by service' })).getByText(
        'Ledger Writer',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Tag coverage: 96.5%/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'View product cost' }),
    ).toHaveAttribute('href', '/cost/products/ledger');
  });

  it('breaks a service down by AWS service and links to its product', async () => {
    const cost = aMappedEntityCost({
      entityRef: 'component:default/ledger-writer',
      kind: 'component',
      breakdown: [
        {
          key: 'Amazon Relational Database Service',
          lastFullMonth: 20000,
          monthToDate: 9000,
        },
      ],
    });
    const api = mockCostApi({
      getEntityCost: jest.fn().mockResolvedValue(cost),
    });
    await renderCard(ledgerWriter, api);

    expect(screen.getByText('By AWS service')).toBeInTheDocument();
    expect(
      screen.getByText('Amazon Relational Database Service'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'View product cost' }),
    ).toHaveAttribute('href', '/cost/products/ledger');
  });

  it('explains an unmapped service with the tag to add, as information and not as an error', async () => {
    const api = mockCostApi({
      getEntityCost: jest.fn().mockResolvedValue({
        mapped: false,
        entityRef: 'component:default/ledger-writer',
        reason:
          'not mapped: add the tag service=ledger-writer to its AWS resources',
        tagKey: 'service',
        tagValue: 'ledger-writer',
      }),
    });
    await renderCard(ledgerWriter, api);

    expect(
      screen.getByText(
        'not mapped: add the tag service=ledger-writer to its AWS resources',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No cost mapped to this entity yet'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'View product cost' }),
    ).not.toBeInTheDocument();
  });

  it('shows progress while the cost loads', async () => {
    await renderCard(ledger, mockCostApi());
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('tells a viewer without access who can see the cost', async () => {
    const forbidden = await aResponseError(
      403,
      'NotAllowedError',
      'cost.read denied',
    );
    const api = mockCostApi({
      getEntityCost: jest.fn().mockRejectedValue(forbidden),
    });
    await renderCard(ledger, api);
    expect(
      screen.getByText(/You are not allowed to see the cost of Ledger/),
    ).toBeInTheDocument();
  });

  it('shows the backend error with a retry when the call fails', async () => {
    const failure = await aResponseError(500, 'Error', 'database is locked');
    const api = mockCostApi({
      getEntityCost: jest
        .fn()
        .mockRejectedValueOnce(failure)
        .mockResolvedValue(aMappedEntityCost()),
    });
    await renderCard(ledger, api);
    expect(screen.getByText('database is locked')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('$48,210')).toBeInTheDocument();
  });
});
