import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aNote,
  aResponseError,
  aReview,
  LAST_WEEK,
  PAGING,
  THIS_WEEK,
  TICKET,
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

  it('adds an action item with an owner and a due date, from the keyboard', async () => {
    const added = aNote({
      id: 'n-4',
      kind: 'action',
      text: 'Page the scheme on pool saturation',
      owner: 'group:default/ledger-team',
      due: '2026-11-13',
      done: false,
    });
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
      addNote: jest.fn().mockResolvedValue(added),
    });
    await renderSloPage('/slo/review', api);

    const form = noteForm('Ledger posting availability');
    expect(form.queryByRole('textbox', { name: /Owner/ })).toBeNull();
    await userEvent.click(form.getByRole('button', { name: 'Action item' }));
    await userEvent.type(
      form.getByRole('textbox', { name: 'Action item' }),
      'Page the scheme on pool saturation',
    );
    // Owner and due date are required: the button waits for both.
    const addButton = form.getByRole('button', { name: 'Add action item' });
    await userEvent.type(
      form.getByRole('textbox', { name: /Owner/ }),
      'group:default/ledger-team',
    );
    expect(addButton).toBeDisabled();
    await userEvent.type(form.getByLabelText(/Due date/), '2026-11-13{Enter}');

    expect(api.addNote).toHaveBeenCalledWith(THIS_WEEK, {
      sloKey: 'component:default/ledger-writer#ledger-posting-availability',
      kind: 'action',
      text: 'Page the scheme on pool saturation',
      owner: 'group:default/ledger-team',
      due: '2026-11-13',
    });
    expect(await screen.findByText(/due 2026-11-13/)).toHaveTextContent(
      'owner group:default/ledger-team \u00B7 due 2026-11-13',
    );
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
    // One team's section, for its minutes.
    await userEvent.click(
      screen.getByRole('button', { name: 'Export ledger-team Markdown' }),
    );
    expect(api.downloadReviewMarkdown).toHaveBeenLastCalledWith(
      THIS_WEEK,
      'group:default/ledger-team',
    );
    await waitFor(() => expect(click).toHaveBeenCalledTimes(2));
    click.mockRestore();
  });

  it("signs off a team's section and shows who signed off when", async () => {
    const review = aReview();
    review.groups[0].signOff = {
      week: THIS_WEEK,
      team: 'group:default/ledger-team',
      signedBy: 'user:default/ada.okafor',
      signedAt: '2026-11-03T16:20:00.000Z',
    };
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(review),
      signOff: jest.fn(async (week: string, team: string) => ({
        week,
        team,
        signedBy: 'user:default/grace.adeyemi',
        signedAt: '2026-11-04T10:00:00.000Z',
      })),
    });
    await renderSloPage('/slo/review', api);

    expect(
      screen.getByRole('status', { name: 'Sign-off of ledger-team' }),
    ).toHaveTextContent(/^\u2714 Signed off by ada\.okafor, /);
    expect(
      screen.queryByRole('button', { name: 'Sign off ledger-team' }),
    ).toBeNull();

    await userEvent.click(
      screen.getByRole('button', { name: 'Sign off payouts-team' }),
    );
    expect(api.signOff).toHaveBeenCalledWith(
      THIS_WEEK,
      'group:default/payouts-team',
    );
    expect(
      await screen.findByRole('status', { name: 'Sign-off of payouts-team' }),
    ).toHaveTextContent(/Signed off by grace\.adeyemi/);
    expect(
      screen.queryByRole('button', { name: 'Sign off payouts-team' }),
    ).toBeNull();
  });

  it('says who may sign off when the backend refuses', async () => {
    const forbidden = await aResponseError(403, 'NotAllowedError', 'denied');
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(aReview()),
      signOff: jest.fn().mockRejectedValue(forbidden),
    });
    await renderSloPage('/slo/review', api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Sign off payouts-team' }),
    );
    expect(
      await screen.findByText(
        'Only a member of payouts-team or an SLO reviewer can sign off this section.',
      ),
    ).toBeInTheDocument();
  });

  it('marks action items carried over from earlier weeks, overdue ones, and who closed one', async () => {
    const review = aReview();
    review.groups[2].lines[0].notes = [
      aNote({
        id: 'a-1',
        sloKey: TICKET.key,
        week: TWO_WEEKS_AGO,
        kind: 'action',
        text: 'Retry the rails on 503',
        owner: 'group:default/payouts-team',
        due: '2026-10-30',
        done: false,
        carriedOverFrom: TWO_WEEKS_AGO,
        overdue: true,
      }),
      aNote({
        id: 'a-2',
        sloKey: TICKET.key,
        week: LAST_WEEK,
        kind: 'action',
        text: 'Dashboard for rail latency',
        owner: 'user:default/kofi',
        due: '2026-11-02',
        done: true,
        closedBy: 'user:default/kofi',
        closedAt: '2026-11-03T09:00:00.000Z',
        carriedOverFrom: LAST_WEEK,
      }),
    ];
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(review),
    });
    await renderSloPage('/slo/review', api);

    const notes = within(
      screen.getByRole('list', { name: 'Notes on Payout scheduling' }),
    );
    const [open, closed] = notes.getAllByRole('listitem');
    expect(open).toHaveTextContent(
      /Retry the rails on 503carried over from Oct 19 \u2013 Oct 25, 2026overdue/,
    );
    expect(open).toHaveTextContent(
      'owner group:default/payouts-team \u00B7 due 2026-10-30',
    );
    expect(within(closed).queryByText('overdue')).toBeNull();
    expect(closed).toHaveTextContent(/done \(closed by kofi, /);
    // The open carried-over item counts among the week's open action items.
    expect(screen.getByText(/open action item/)).toHaveTextContent(
      '2 open action items',
    );
  });

  it("lists the week's corrections of an SLO with reason and author", async () => {
    const review = aReview();
    review.groups[0].lines[0].corrections = [
      {
        id: 'c-1',
        sloKey: review.groups[0].lines[0].slo.key,
        from: '2026-11-03T02:00:00.000Z',
        to: '2026-11-03T03:00:00.000Z',
        category: 'maintenance',
        reason: 'Ledger database upgrade, announced',
        author: 'user:default/ada.okafor',
        createdAt: '2026-11-02T09:00:00.000Z',
      },
    ];
    const api = mockSloApi({
      getReview: jest.fn().mockResolvedValue(review),
    });
    await renderSloPage('/slo/review', api);
    const corrections = screen.getByRole('list', {
      name: 'Corrections of Ledger posting availability this week',
    });
    expect(corrections).toHaveTextContent(
      /correction: maintenance.*Ledger database upgrade, announced.*left out of the budget \u00B7 recorded by ada\.okafor/,
    );
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
