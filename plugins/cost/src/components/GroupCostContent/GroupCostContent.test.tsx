import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { aMappedEntityCost } from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderWithCostApi,
} from '../../__testUtils__/renderWithCostApi';
import { GroupCostContent } from './GroupCostContent';

const ledgerTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ledger-team', title: 'Ledger' },
  spec: { type: 'team', children: [] },
};

describe('GroupCostContent', () => {
  it("lists the team's products with links to their cost, and its tag coverage", async () => {
    const cost = aMappedEntityCost({
      entityRef: 'group:default/ledger-team',
      kind: 'group',
      breakdown: [
        {
          key: 'ledger',
          label: 'Ledger',
          lastFullMonth: 48210.4,
          monthToDate: 22010.9,
        },
        { key: '', lastFullMonth: 310, monthToDate: 120 },
      ],
      tagCoverage: {
        coveredPercent: 93.1,
        coveredAmount: 45000,
        totalAmount: 48520.4,
      },
    });
    const api = mockCostApi({
      getEntityCost: jest.fn().mockResolvedValue(cost),
    });
    await renderWithCostApi(
      <EntityProvider entity={ledgerTeam}>
        <GroupCostContent />
      </EntityProvider>,
      api,
    );

    expect(api.getEntityCost).toHaveBeenCalledWith('group:default/ledger-team');
    const products = within(
      screen.getByRole('table', { name: 'Cost by product' }),
    );
    expect(products.getByRole('link', { name: 'Ledger' })).toHaveAttribute(
      'href',
      '/cost/products/ledger',
    );
    expect(products.getByText('(no product tag)')).toBeInTheDocument();
    const coverage = within(
      screen.getByRole('region', { name: 'Tag coverage' }),
    );
    expect(coverage.getByText('93.1%')).toBeInTheDocument();
    expect(
      coverage.getByText(/\$45,000 of \$48,520 carries every required tag/),
    ).toBeInTheDocument();
  });

  it('explains a team the cost data does not know', async () => {
    const api = mockCostApi({
      getEntityCost: jest.fn().mockResolvedValue({
        mapped: false,
        entityRef: 'group:default/ledger-team',
        reason: 'not mapped: add the tag team=ledger-team to its AWS resources',
      }),
    });
    await renderWithCostApi(
      <EntityProvider entity={ledgerTeam}>
        <GroupCostContent />
      </EntityProvider>,
      api,
    );
    expect(
      screen.getByText(
        'not mapped: add the tag team=ledger-team to its AWS resources',
      ),
    ).toBeInTheDocument();
  });
});
