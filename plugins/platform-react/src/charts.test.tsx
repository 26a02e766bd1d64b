import { render, screen } from '@testing-library/react';
import { YAxis } from 'recharts';
import { Sparkline, TimeLineChart } from './charts';

describe('charts', () => {
  it('draws a sparkline as one image named by what it shows', () => {
    render(
      <Sparkline
        label="Trend: from 54% to 71%"
        data={[
          { at: '2026-11-01', score: 54 },
          { at: '2026-11-02', score: null },
          { at: '2026-11-03', score: 71 },
        ]}
        dataKey="score"
        domain={[0, 100]}
        width={88}
        height={24}
        inset={3}
      />,
    );
    const image = screen.getByRole('img', { name: 'Trend: from 54% to 71%' });
    expect(image).toHaveAttribute('title', 'Trend: from 54% to 71%');
  });

  it('draws a line over time in a figure with its caption', () => {
    render(
      <TimeLineChart
        label="Score over 2 scans: from 54% to 71%"
        data={[
          { at: '2026-11-01T10:00:00Z', percent: 54 },
          { at: '2026-11-02T10:00:00Z', percent: 71 },
        ]}
        xKey="at"
        yKey="percent"
        height={200}
        caption="Score after each completed scan."
      >
        <YAxis domain={[0, 100]} />
      </TimeLineChart>,
    );
    const figure = screen.getByRole('figure', {
      name: 'Score over 2 scans: from 54% to 71%',
    });
    expect(figure).toHaveTextContent('Score after each completed scan.');
  });
});
