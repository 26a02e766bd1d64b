import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { anOverview } from '../../__testUtils__/costFixtures';
import {
  mockCostApi,
  renderCostPage,
} from '../../__testUtils__/renderWithCostApi';

jest.setTimeout(20_000);

describe('the Cost Category downloads on the overview', () => {
  const saved: string[] = [];
  beforeEach(() => {
    saved.length = 0;
    URL.createObjectURL = jest.fn(() => 'blob:cost-category');
    URL.revokeObjectURL = jest.fn();
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function save(this: HTMLAnchorElement) {
        saved.push(this.download);
      });
  });
  afterEach(() => jest.restoreAllMocks());

  it('fetches the JSON and the Terraform with the user token and saves them', async () => {
    const api = mockCostApi({
      getOverview: jest.fn().mockResolvedValue(anOverview()),
    });
    await renderCostPage('/cost', api);
    const json = await screen.findByRole('link', {
      name: 'Cost Category JSON',
    });
    await waitFor(() =>
      expect(json).toHaveAttribute(
        'href',
        'http://localhost:7007/api/cost/cost-category.json',
      ),
    );
    await userEvent.click(json);
    expect(api.downloadCostCategory).toHaveBeenCalledWith('json');
    await userEvent.click(
      screen.getByRole('link', { name: 'Cost Category Terraform' }),
    );
    expect(api.downloadCostCategory).toHaveBeenLastCalledWith('tf');
    await waitFor(() =>
      expect(saved).toEqual(['cost-category.json', 'cost-category.tf']),
    );
  });

  it('is not offered to someone who sees only their own products', async () => {
    const api = mockCostApi({
      getOverview: jest
        .fn()
        .mockResolvedValue(anOverview({ restricted: true })),
    });
    await renderCostPage('/cost', api);
    await screen.findByText(/Showing the products you own/);
    expect(
      screen.queryByRole('link', { name: 'Cost Category JSON' }),
    ).not.toBeInTheDocument();
  });
});
