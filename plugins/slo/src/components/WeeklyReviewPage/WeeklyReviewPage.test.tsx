import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aNote,
  aResponseError,
  aReview,
  LAST_WEEK,
  PAGING,
  THIS_WEEK,
  TWO_WEEKS_AGO,
} from '../../__testUtils__/sloFixtures';
import {
  mockSloApi,
  renderSloPage,
} from '../../__testUtils__/renderWithSloApi';
import { groupByProduct } from './reviewGroups';

function reviewOf(week: string) {
  return aReview({ week, previousWeek: '' });
}

function noteForm(sloLabel: string) {
  return within(
    screen.getByRole('form', {
      name: `Add a note or action item to ${sloLabel}`,
    }),
  );
}

// Opening MUI selects and typing through userEvent takes seconds when the whole repo's suites run.
jest.setTimeout(20_000);

describe('WeeklyReviewPage', () => {
  it('groups the SLOs by product, then team, with attainment, change, budget, breach and worst burn', async () => {
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
    });
    await renderSloPage('/slo/review', api);

    expect(api.getReview).toHaveBeenCalledWith(undefined);
    expect(
      screen.getByRole('heading', { name: 'Weekly SLO review', level: 1 }),
    ).toBeInTheDocument();
    expect(screen.getByText(/open action item/)).toHaveTextContent(
      'Nov 2 \u2013 Nov 8, 2026 \u00B7 4 SLOs \u00B7 1 breached \u00B7 1 open action item',
    );
    expect(
      screen
        .getAllByRole('region', { name: /^Product / })
        .map(r => r.getAttribute('aria-label')),
    ).toEqual(['Product card-acquiring', 'Product ledger', 'Product payouts']);

    const cardAcquiring = within(
      screen.getByRole('table', {
        name: 'SLOs of card-acquiring, team card-acquiring-team',
      }),
    );
    const paging = cardAcquiring
      .getByRole('link', { name: 'Card authorisation availability' })
      .closest('tr')!;
    expect(within(paging).getByText('99.95%')).toBeInTheDocument();
    expect(within(paging).getByText('99.932%')).toBeInTheDocument();
    expect(within(paging).getByText('\u22120.049 pp')).toBeInTheDocument();
    expect(within(paging).getByText('\u221235.0%')).toBeInTheDocument();
    expect(within(paging).getByText('breached')).toBeInTheDocument();
    expect(
      within(paging).getByText('fast burn \u2014 page'),
    ).toBeInTheDocument();

    const noData = cardAcquiring
      .getByRole('link', { name: 'Card authorisation under 250 ms' })
      .closest('tr')!;
    expect(noData).not.toHaveTextContent(/100(\.0+)?%/);

    const payouts = within(
      screen.getByRole('table', { name: 'SLOs of payouts, team payouts-team' }),
    );
    expect(payouts.getByText('+0.012 pp')).toBeInTheDocument();
  });

  it('lists notes and action items with their author and time', async () => {
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
    });
    await renderSloPage('/slo/review', api);

    const notes = within(
      screen.getByRole('list', {
        name: 'Notes on Card authorisation availability',
      }),
    );
    const items = notes.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'Scheme connection pool exhausted on Tuesday',
    );
    expect(items[0]).toHaveTextContent('grace.adeyemi');
    expect(items[0].querySelector('time')).toHaveAttribute(
      'dateTime',
      '2026-11-03T14:05:00.000Z',
    );
    expect(items[1]).toHaveTextContent(
      'Raise the pool size and alert on saturation',
    );
    expect(items[1]).toHaveTextContent('owner card-acquiring-team');
    expect(
      notes.getByRole('checkbox', {
        name: 'Done: Raise the pool size and alert on saturation',
      }),
    ).not.toBeChecked();
  });

  it('moves between weeks with previous, next and the picker', async () => {
    const api = mockSloApi({
      getReview: jest.fn(async (week?: string) => reviewOf(week ?? THIS_WEEK)),
    });
    await renderSloPage('/slo/review', api);

    expect(screen.getByRole('button', { name: 'Next week' })).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous week' }),
    );
    await waitFor(() =>
      expect(api.getReview).toHaveBeenLastCalledWith(LAST_WEEK),
    );
    expect(
      await screen.findByRole('combobox', { name: 'Week' }),
    ).toHaveTextContent('Oct 26 \u2013 Nov 1, 2026');

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous week' }),
    );
    await waitFor(() =>
      expect(api.getReview).toHaveBeenLastCalledWith(TWO_WEEKS_AGO),
    );
    expect(
      await screen.findByRole('button', { name: 'Next week' }),
    ).toBeEnabled();
    expect(
      screen.getByRole('button', { name: 'Previous week' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('combobox', { name: 'Week' }));
    await userEvent.click(
      screen.getByRole('option', { name: 'Nov 2 \u2013 Nov 8, 2026' }),
    );
    await waitFor(() =>
      expect(api.getReview).toHaveBeenLastCalledWith(THIS_WEEK),
    );
  });

  it('opens the week in the address', async () => {
    const api = mockSloApi({
      getReview: jest.fn(async (week?: string) => reviewOf(week ?? THIS_WEEK)),
    });
    await renderSloPage(`/slo/review/${LAST_WEEK}`, api);
    expect(api.getReview).toHaveBeenCalledWith(LAST_WEEK);
    expect(screen.getByRole('combobox', { name: 'Week' })).toHaveTextContent(
      'Oct 26 \u2013 Nov 1, 2026',
    );
  });

  it('explains an address that is not a week without calling the backend', async () => {
    const api = mockSloApi();
    await renderSloPage('/slo/review/last-tuesday', api);
    expect(
      screen.getByText('"last-tuesday" is not a week'),
    ).toBeInTheDocument();
    expect(api.getReview).not.toHaveBeenCalled();
  });

  it('adds a note and shows it at once', async () => {
    const added = aNote({ id: 'n-3', text: 'Pool size raised on Thursday' });
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
      addNote: jest.fn().mockResolvedValue(added),
    });
    await renderSloPage('/slo/review', api);

    const form = noteForm('Card authorisation availability');
    await userEvent.type(
      form.getByRole('textbox', { name: 'Note' }),
      '  Pool size raised on Thursday ',
    );
    await userEvent.click(form.getByRole('button', { name: 'Add note' }));

    expect(api.addNote).toHaveBeenCalledWith(THIS_WEEK, {
      sloKey: PAGING.key,
      kind: 'note',
      text: 'Pool size raised on Thursday',
      owner: undefined,
    });
    const notes = within(
      screen.getByRole('list', {
        name: 'Notes on Card authorisation availability',
      }),
    );
    expect(
      await notes.findByText('Pool size raised on Thursday'),
    ).toBeInTheDocument();
    expect(form.getByRole('textbox', { name: 'Note' })).toHaveValue('');
    expect(form.getByRole('status')).toHaveTextContent('Note added');
  });

  it('adds an action item with an owner, from the keyboard', async () => {
    const added = aNote({
      id: 'n-4',
      kind: 'action',
      text: 'Page the scheme on pool saturation',
      owner: 'grace.adeyemi',
      done: false,
    });
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
      addNote: jest.fn().mockResolvedValue(added),
    });
    await renderSloPage('/slo/review', api);

    const form = noteForm('Ledger posting availability');
    expect(
      form.queryByRole('textbox', { name: 'Owner (optional)' }),
    ).toBeNull();
    await userEvent.click(form.getByRole('button', { name: 'Action item' }));
    await userEvent.type(
      form.getByRole('textbox', { name: 'Action item' }),
      'Page the scheme on pool saturation',
    );
    await userEvent.type(
      form.getByRole('textbox', { name: 'Owner (optional)' }),
      'grace.adeyemi{Enter}',
    );

    expect(api.addNote).toHaveBeenCalledWith(THIS_WEEK, {
      sloKey: 'component:default/ledger-writer#ledger-posting-availability',
      kind: 'action',
      text: 'Page the scheme on pool saturation',
      owner: 'grace.adeyemi',
    });
    expect(
      await screen.findByRole('checkbox', {
        name: 'Done: Page the scheme on pool saturation',
      }),
    ).toBeInTheDocument();
  });

  it('says who may write when the backend refuses a note', async () => {
    const forbidden = await aResponseError(403, 'NotAllowedError', 'denied');
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
      addNote: jest.fn().mockRejectedValue(forbidden),
    });
    await renderSloPage('/slo/review', api);

    const form = noteForm('Payout scheduling');
    await userEvent.type(
      form.getByRole('textbox', { name: 'Note' }),
      'Rail fixed',
    );
    await userEvent.click(form.getByRole('button', { name: 'Add note' }));
    expect(
      await form.findByText(
        'Only the owners of this SLO and the configured reviewers can write in its review.',
      ),
    ).toBeInTheDocument();
    expect(form.getByRole('textbox', { name: 'Note' })).toHaveValue(
      'Rail fixed',
    );
  });

  it('ticks an action item done', async () => {
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
      setNoteDone: jest.fn(async (_week: string, id: string, done: boolean) =>
        aNote({
          id,
          kind: 'action',
          text: 'Raise the pool size and alert on saturation',
          owner: 'card-acquiring-team',
          done,
        }),
      ),
    });
    await renderSloPage('/slo/review', api);

    const box = screen.getByRole('checkbox', {
      name: 'Done: Raise the pool size and alert on saturation',
    });
    await userEvent.click(box);
    expect(api.setNoteDone).toHaveBeenCalledWith(THIS_WEEK, 'n-2', true);
    await waitFor(() => expect(box).toBeChecked());
    expect(screen.getByText(/0 open action items/)).toBeInTheDocument();
  });

  it('exports the week as Markdown', async () => {
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
    });
    Object.assign(URL, {
      createObjectURL: jest.fn(() => 'blob:review'),
      revokeObjectURL: jest.fn(),
    });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderSloPage('/slo/review', api);

    await userEvent.click(
      screen.getByRole('button', { name: 'Export Markdown' }),
    );
    expect(api.downloadReviewMarkdown).toHaveBeenCalledWith(THIS_WEEK);
    await waitFor(() => expect(click).toHaveBeenCalled());
    click.mockRestore();
  });

  it('keeps teams of one product together and puts the group without a product last', () => {
    const line = aReview().groups[0].lines[0];
    expect(
      groupByProduct([
        { lines: [line] },
        { product: 'wallet', team: 'group:default/wallet-team', lines: [line] },
        { product: 'fx', team: 'group:default/fx-team', lines: [line] },
        { product: 'wallet', team: 'group:default/b-team', lines: [line] },
      ]).map(p => [p.product, p.teams.map(t => t.team)]),
    ).toEqual([
      ['fx', ['group:default/fx-team']],
      ['wallet', ['group:default/b-team', 'group:default/wallet-team']],
      [undefined, [undefined]],
    ]);
  });
});
