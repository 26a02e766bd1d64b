import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { backendMessage } from './errors';
import { InlineQueryState } from './InlineQueryState';
import { ApiQuery } from './useApiQuery';

function renderState(query: ApiQuery<string>) {
  return render(
    <InlineQueryState
      query={query}
      loadingLabel="Loading the burn-down"
      failure="Could not load the burn-down"
    >
      {value => <span>{value}</span>}
    </InlineQueryState>,
  );
}

describe('InlineQueryState', () => {
  it('shows progress, then the value', async () => {
    const { rerender } = renderState({ status: 'loading' });
    expect(
      await screen.findByRole('progressbar', { name: 'Loading the burn-down' }),
    ).toBeInTheDocument();
    rerender(
      <InlineQueryState
        query={{ status: 'loaded', value: '42%', retry: jest.fn() }}
        loadingLabel="Loading the burn-down"
        failure="Could not load the burn-down"
      >
        {value => <span>{value}</span>}
      </InlineQueryState>,
    );
    expect(screen.getByText('42%')).toBeInTheDocument();
  });

  it('says why it failed in one line, with a retry', async () => {
    const retry = jest.fn();
    const error = Object.assign(new Error('Request failed with 503'), {
      cause: { message: 'Prometheus is not reachable' },
    });
    renderState({ status: 'error', error, retry });
    expect(
      screen.getByText(
        'Could not load the burn-down: Prometheus is not reachable',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalled();
  });
});

describe('backendMessage', () => {
  it('is the backend’s own message when it sent one, else the error’s', () => {
    expect(
      backendMessage(
        Object.assign(new Error('Request failed'), {
          cause: { message: 'expiresAt must be in the future' },
        }),
      ),
    ).toBe('expiresAt must be in the future');
    expect(
      backendMessage(
        Object.assign(new Error('Request failed'), { cause: { message: '' } }),
      ),
    ).toBe('Request failed');
    expect(backendMessage(new Error('offline'))).toBe('offline');
  });
});
