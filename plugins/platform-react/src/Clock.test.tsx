import { render, screen } from '@testing-library/react';
import { ClockProvider, fixedClock, useClock } from './Clock';

function Today() {
  return <span>{useClock().now().toISOString().slice(0, 10)}</span>;
}

describe('the pages’ clock', () => {
  it('is the real clock without a provider', () => {
    const before = new Date().toISOString().slice(0, 10);
    render(<Today />);
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(
      screen.getByText(/^\d{4}-\d{2}-\d{2}$/).textContent,
    );
  });

  it('is the provider’s clock inside one', () => {
    render(
      <ClockProvider clock={fixedClock('2028-02-29T23:30:00Z')}>
        <Today />
      </ClockProvider>,
    );
    expect(screen.getByText('2028-02-29')).toBeInTheDocument();
  });

  it('refuses a time it cannot read', () => {
    expect(() => fixedClock('next tuesday')).toThrow(
      "fixedClock: 'next tuesday' is not a time",
    );
  });
});
