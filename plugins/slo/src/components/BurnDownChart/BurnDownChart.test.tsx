import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BurnDown, SloCorrection } from '@internal/slo-common';
import {
  mockSloApi,
  renderWithSloApi,
} from '../../__testUtils__/renderWithSloApi';
import { aResponseError, PAGING } from '../../__testUtils__/sloFixtures';
import { BurnDownChart, nearestPoint } from './BurnDownChart';

jest.setTimeout(20_000);

const MAINTENANCE: SloCorrection = {
  id: 'c-1',
  sloKey: PAGING.key,
  from: '2026-10-20T01:00:00.000Z',
  to: '2026-10-20T03:00:00.000Z',
  category: 'maintenance',
  reason: 'Scheme certificate rotation, announced',
  author: 'user:default/ada.okafor',
  createdAt: '2026-10-19T09:00:00.000Z',
};

function aBurnDown(overrides: Partial<BurnDown> = {}): BurnDown {
  return {
    key: PAGING.key,
    points: [
      { time: '2026-10-13T00:00:00.000Z', remaining: 1 },
      { time: '2026-10-20T00:00:00.000Z', remaining: 0.8 },
      { time: '2026-10-27T00:00:00.000Z', remaining: 0.6 },
    ],
    corrections: [MAINTENANCE],
    deploys: [{ time: '2026-10-26T12:00:00.000Z', decision: 'deny' }],
    ...overrides,
  };
}

const chart = () => (
  <BurnDownChart
    sloKey={PAGING.key}
    sloLabel="Card authorisation availability"
    windowLabel="28d rolling"
  />
);

describe('BurnDownChart', () => {
  it('shades corrections, marks deploys and lists the corrections with reason and author', async () => {
    const api = mockSloApi({
      getBurnDown: jest.fn().mockResolvedValue(aBurnDown()),
    });
    await renderWithSloApi(chart(), api);

    expect(
      await screen.findByRole('figure', {
        name: 'Remaining error budget over 28d rolling: from 100.0% to 60.0%; 1 correction shaded, 1 deploy marked',
      }),
    ).toBeInTheDocument();
    const list = screen.getByRole('list', {
      name: 'Corrections of Card authorisation availability',
    });
    expect(list).toHaveTextContent(
      /correction: maintenance.*Scheme certificate rotation, announced.*recorded by ada\.okafor/,
    );
  });

  it('says why an SLO not counted by events has no burn-down, rather than "no data"', async () => {
    const api = mockSloApi({
      getBurnDown: jest.fn().mockResolvedValue(
        aBurnDown({
          points: [],
          unavailable:
            'The burn-down is drawn for SLOs counted by events; this one counts samples of a threshold, so its budget left is the figure above.',
        }),
      ),
    });
    await renderWithSloApi(chart(), api);
    expect(
      await screen.findByText(/this one counts samples of a threshold/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Prometheus had no data/)).toBeNull();
  });

  it('records a correction as the signed-in user and draws the burn-down again', async () => {
    const recorded = {
      ...MAINTENANCE,
      id: 'c-2',
      reason: 'Card scheme outage',
    };
    const api = mockSloApi({
      getBurnDown: jest
        .fn()
        .mockResolvedValueOnce(aBurnDown({ corrections: [] }))
        .mockResolvedValue(aBurnDown({ corrections: [recorded] })),
      addCorrection: jest.fn().mockResolvedValue(recorded),
    });
    await renderWithSloApi(chart(), api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Record a correction' }),
    );
    const form = within(
      screen.getByRole('form', {
        name: 'Record a correction of Card authorisation availability',
      }),
    );
    const submit = form.getByRole('button', { name: 'Record correction' });
    fireEvent.change(form.getByLabelText(/^From/), {
      target: { value: '2026-10-20T01:00' },
    });
    fireEvent.change(form.getByLabelText(/^To/), {
      target: { value: '2026-10-20T03:00' },
    });
    expect(submit).toBeDisabled();
    await userEvent.type(
      form.getByRole('textbox', { name: /Reason/ }),
      'Card scheme outage',
    );
    await userEvent.click(submit);

    expect(api.addCorrection).toHaveBeenCalledWith({
      sloKey: PAGING.key,
      // The viewer's time zone, as the form says.
      from: new Date('2026-10-20T01:00').toISOString(),
      to: new Date('2026-10-20T03:00').toISOString(),
      category: 'maintenance',
      reason: 'Card scheme outage',
    });
    expect(await form.findByRole('status')).toHaveTextContent(
      /leave it out now; the SLO’s status, the overview and the review at the next evaluation/,
    );
    await waitFor(() => expect(api.getBurnDown).toHaveBeenCalledTimes(2));
    expect(await screen.findByText(/Card scheme outage$/)).toBeInTheDocument();
  });

  it('says who may record corrections when the backend refuses', async () => {
    const forbidden = await aResponseError(403, 'NotAllowedError', 'denied');
    const api = mockSloApi({
      getBurnDown: jest.fn().mockResolvedValue(aBurnDown()),
      addCorrection: jest.fn().mockRejectedValue(forbidden),
    });
    await renderWithSloApi(chart(), api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Record a correction' }),
    );
    fireEvent.change(screen.getByLabelText(/^From/), {
      target: { value: '2026-10-20T01:00' },
    });
    fireEvent.change(screen.getByLabelText(/^To/), {
      target: { value: '2026-10-20T03:00' },
    });
    await userEvent.type(screen.getByRole('textbox', { name: /Reason/ }), 'x');
    await userEvent.click(
      screen.getByRole('button', { name: 'Record correction' }),
    );
    expect(
      await screen.findByText(
        'Only the owners of this SLO and the configured reviewers can record corrections.',
      ),
    ).toBeInTheDocument();
  });

  it('revokes a correction and draws the burn-down again', async () => {
    const api = mockSloApi({
      getBurnDown: jest
        .fn()
        .mockResolvedValueOnce(aBurnDown())
        .mockResolvedValue(aBurnDown({ corrections: [] })),
      revokeCorrection: jest.fn().mockResolvedValue({
        ...MAINTENANCE,
        revokedBy: 'user:default/ada.okafor',
        revokedAt: '2026-11-04T10:00:00.000Z',
      }),
    });
    await renderWithSloApi(chart(), api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Revoke correction: Scheme certificate rotation, announced',
      }),
    );
    expect(api.revokeCorrection).toHaveBeenCalledWith('c-1');
    await waitFor(() =>
      expect(
        screen.queryByRole('list', {
          name: 'Corrections of Card authorisation availability',
        }),
      ).toBeNull(),
    );
  });

  it('places marks at the nearest point of the chart', () => {
    const times = aBurnDown().points.map(p => p.time);
    expect(nearestPoint(times, '2026-10-20T03:00:00.000Z')).toBe(times[1]);
    expect(nearestPoint(times, '2026-10-26T12:00:00.000Z')).toBe(times[2]);
    expect(nearestPoint([], '2026-10-26T12:00:00.000Z')).toBeUndefined();
  });
});
