import { parser } from '@prometheus-io/lezer-promql';
import { canaryEventQueries } from './canary';
import { withLabelMatcher } from './labelMatcher';

const CANARY = { name: 'track', op: '=', value: 'canary' } as const;

function restricted(query: string): string {
  const r = withLabelMatcher(query, CANARY);
  if ('problem' in r) throw new Error(r.problem);
  // Whatever comes out must still be PromQL.
  let valid = true;
  parser.parse(r.query).iterate({
    enter: n => {
      if (n.type.isError) valid = false;
    },
  });
  expect(valid).toBe(true);
  return r.query;
}

describe('withLabelMatcher', () => {
  it.each([
    ['a bare metric', 'up', 'up{track="canary"}'],
    ['empty braces', 'up{}', 'up{track="canary"}'],
    [
      'sum by over a rate of a matrix',
      'sum by (code) (rate(http_requests_total{code=~"5.."}[5m]))',
      'sum by (code) (rate(http_requests_total{code=~"5..", track="canary"}[5m]))',
    ],
    [
      'a binary operation of two aggregations',
      'sum(increase(errors_total[1h])) / sum(increase(requests_total{job="api"}[1h]))',
      'sum(increase(errors_total{track="canary"}[1h])) / sum(increase(requests_total{job="api", track="canary"}[1h]))',
    ],
    [
      'nested functions and a subquery',
      'max_over_time(sum(rate(x{a="b",}[1m]))[30m:1m])',
      'max_over_time(sum(rate(x{a="b", track="canary",}[1m]))[30m:1m])',
    ],
    [
      'or between vectors, with offset',
      'sum(rate(a[5m])) or sum(rate(b[5m] offset 1h))',
      'sum(rate(a{track="canary"}[5m])) or sum(rate(b{track="canary"}[5m] offset 1h))',
    ],
    [
      'matchers only, with a quoted metric name',
      '{"http.server.requests", code="500"}',
      '{"http.server.requests", code="500", track="canary"}',
    ],
    [
      'a label named like the matcher in grouping and strings only',
      'count by (track) (x{note="track=\\"canary\\""})',
      'count by (track) (x{note="track=\\"canary\\"", track="canary"})',
    ],
    [
      'histogram_quantile over buckets',
      'histogram_quantile(0.99, sum by (le) (rate(d_bucket{service="s"}[5m])))',
      'histogram_quantile(0.99, sum by (le) (rate(d_bucket{service="s", track="canary"}[5m])))',
    ],
  ])('adds the matcher to every selector: %s', (_, query, expected) => {
    expect(restricted(query)).toBe(expected);
  });

  it('refuses a selector that already constrains the label', () => {
    expect(
      withLabelMatcher('sum(rate(x{track="stable"}[5m]))', CANARY),
    ).toEqual({
      problem:
        "the selector 'x{track=\"stable\"}' already constrains 'track'; the gate adds track itself, so leave it out of the SLI",
    });
    expect('problem' in withLabelMatcher('x{"track"=~"c.*"} + y', CANARY)).toBe(
      true,
    );
  });

  it('refuses what does not parse and what selects nothing', () => {
    const broken = withLabelMatcher('sum(rate(x[5m])', CANARY);
    expect('problem' in broken && broken.problem).toMatch(
      /not valid PromQL at offset/,
    );
    expect(withLabelMatcher('vector(1)', CANARY)).toEqual({
      problem:
        'the query selects no series, so it cannot be restricted to track="canary"',
    });
    // An unsubstituted window placeholder is not PromQL either.
    expect('problem' in withLabelMatcher('rate(x[{{.window}}])', CANARY)).toBe(
      true,
    );
  });

  it("restricts a ratio SLI's event queries per track and for any track", () => {
    const queries = canaryEventQueries(
      {
        kind: 'ratio',
        name: 'sli',
        good: 'sum(increase(req_total{code!~"5.."}[{{.window}}]))',
        total: 'sum(increase(req_total[{{.window}}]))',
        source: { type: 'Prometheus' },
      },
      '1800s',
    );
    expect(queries).toEqual({
      canary: {
        good: 'sum(increase(req_total{code!~"5..", track="canary"}[1800s]))',
        total: 'sum(increase(req_total{track="canary"}[1800s]))',
      },
      stable: {
        good: 'sum(increase(req_total{code!~"5..", track="stable"}[1800s]))',
        total: 'sum(increase(req_total{track="stable"}[1800s]))',
      },
      anyTrack: 'sum(increase(req_total{track!=""}[1800s]))',
    });
  });
});
