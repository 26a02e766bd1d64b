import { screen, within } from '@testing-library/react';
import { aScan, minutesAgo } from '../../__testUtils__/drFixtures';
import {
  mockDrApi,
  renderWithDrApi,
} from '../../__testUtils__/renderWithDrApi';
import { RecentScans } from './RecentScans';

const refs = (...names: string[]) => names.map(n => `component:default/${n}`);

describe('RecentScans', () => {
  it('says why each scan ran: scheduled, a rescan of one service, or a catch-up of services no scan had covered', async () => {
    const api = mockDrApi({
      getScans: jest.fn().mockResolvedValue([
        aScan({
          id: 'catch-up-1',
          trigger: 'catch-up',
          startedAt: minutesAgo(2),
          finishedAt: minutesAgo(1),
          entityRefs: refs(
            'card-tokenisation-vault',
            'ledger-writer',
            'fx-rates-service',
            'payout-scheduler',
            'wallet-api',
          ),
          servicesScanned: 5,
          gaps: [],
        }),
        aScan({
          id: 'catch-up-2',
          trigger: 'catch-up',
          startedAt: minutesAgo(4),
          finishedAt: minutesAgo(3),
          entityRefs: refs('refund-svc'),
          servicesScanned: 1,
          gaps: [],
        }),
        aScan({
          id: 'rescan-1',
          trigger: 'rescan',
          entityRef: 'component:default/ledger-writer',
          entityRefs: refs('ledger-writer'),
          startedAt: minutesAgo(6),
          finishedAt: minutesAgo(5),
          gaps: [],
        }),
        aScan({ id: 'scheduled-1', gaps: [] }),
      ]),
    });
    await renderWithDrApi(<RecentScans />, api);
    const table = await screen.findByRole('table', { name: 'Recent scans' });
    const row = (id: string) =>
      within(table).getByText(id).closest('tr') as HTMLElement;
    expect(row('catch-up-1')).toHaveTextContent(
      'catch-up: 5 services not scanned yet',
    );
    expect(row('catch-up-1')).toHaveTextContent(
      'card-tokenisation-vault, ledger-writer, fx-rates-service and 2 more',
    );
    expect(row('catch-up-2')).toHaveTextContent(
      'catch-up: 1 service not scanned yet',
    );
    expect(row('catch-up-2')).toHaveTextContent('refund-svc');
    expect(row('rescan-1')).toHaveTextContent('rescan of ledger-writer');
    expect(row('scheduled-1')).toHaveTextContent('scheduled');
    expect(row('scheduled-1')).not.toHaveTextContent('catch-up');
  }, 20_000);
});
