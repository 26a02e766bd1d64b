import { render, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { KeyFigure } from './KeyFigure';
import { MutedText } from './MutedText';
import { PageBody, StandalonePage } from './PluginPage';
import { EmptyTableRow, OptionalEntityRefLink } from './tableParts';

describe('layout pieces', () => {
  it('puts a figure under its label and quiet text where it is said', () => {
    render(
      <>
        <KeyFigure label="Month to date">$4,120</KeyFigure>
        <MutedText>No scan has run yet.</MutedText>
      </>,
    );
    expect(screen.getByText('Month to date')).toBeInTheDocument();
    expect(screen.getByText('$4,120')).toBeInTheDocument();
    expect(screen.getByText('No scan has run yet.')).toBeInTheDocument();
  });

  it('draws a legacy page with its header, and the new system’s page body alone', async () => {
    await renderInTestApp(
      <StandalonePage title="Cost" subtitle="Cost per product">
        <span>overview</span>
      </StandalonePage>,
    );
    expect(screen.getByRole('heading', { name: 'Cost' })).toBeInTheDocument();
    expect(screen.getByText('Cost per product')).toBeInTheDocument();
    expect(screen.getByText('overview')).toBeInTheDocument();

    render(
      <PageBody>
        <span>scorecard</span>
      </PageBody>,
    );
    expect(screen.getByText('scorecard')).toBeInTheDocument();
  });

  it('links an entity when there is one, a dash otherwise; says why a table is empty', async () => {
    await renderInTestApp(
      <Table>
        <TableBody>
          <EmptyTableRow columns={3}>
            No SLO matches these filters.
          </EmptyTableRow>
        </TableBody>
        <caption>
          <OptionalEntityRefLink entity="ledger-team" kind="group" />
          <span data-testid="none">
            <OptionalEntityRefLink kind="group" />
          </span>
        </caption>
      </Table>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(screen.getByRole('cell')).toHaveAttribute('colspan', '3');
    expect(
      within(screen.getByRole('cell')).getByText(
        'No SLO matches these filters.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ledger-team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/ledger-team',
    );
    expect(screen.getByTestId('none')).toHaveTextContent('\u2014');
  });
});
