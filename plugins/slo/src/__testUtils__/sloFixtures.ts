import {
  BurnDown,
  EntitySlos,
  ReviewNote,
  SloOverview,
  SloStatus,
  WeeklyReview,
  WeeklySloLine,
} from '@internal/slo-common';
import { responseErrorFor } from '@internal/platform-react/testUtils';

const MINUTE = 60_000;

/** When the fixtures happen: the clock renderWithSloApi and renderSloPage give the pages (in THIS_WEEK). */
export const FIXTURE_NOW = new Date('2026-11-04T10:00:00Z');

/** A time `minutes` before FIXTURE_NOW. */
export function minutesAgo(minutes: number): string {
  return new Date(FIXTURE_NOW.getTime() - minutes * MINUTE).toISOString();
}

const CARD_AUTH = 'component:default/card-authorisation-service';

export function anSlo(
  overrides: Partial<SloStatus> & { name: string },
): SloStatus {
  const entityRef = overrides.entityRef ?? CARD_AUTH;
  return {
    key: `${entityRef}#${overrides.name}`,
    entityRef,
    product: 'card-acquiring',
    team: 'group:default/card-acquiring-team',
    source: 'catalog/slos/card-acquiring.yaml',
    target: 0.9995,
    windowLabel: '28d rolling',
    budgetingMethod: 'Occurrences',
    indicatorKind: 'ratio',
    hasData: true,
    attainment: 0.99981,
    budget: {
      remaining: 0.62,
      allowed: 20_000,
      consumed: 7_600,
      exhausted: false,
    },
    burn: {
      status: 'ok',
      message: 'Burning within budget on every window',
      worst: { window: '6h', rate: 0.4 },
      rates: [
        { window: '5m', rate: 0.3 },
        { window: '1h', rate: 0.35 },
        { window: '6h', rate: 0.4 },
        { window: '3d', rate: 0.38 },
      ],
    },
    evaluatedAt: minutesAgo(2),
    ...overrides,
  };
}

/** Fast burn, overspent: the demo incident on card authorisation. */
export const PAGING = anSlo({
  name: 'card-authorisation-availability',
  displayName: 'Card authorisation availability',
  description: 'Share of requests answered without a server error.',
  attainment: 0.99932,
  budget: {
    remaining: -0.35,
    allowed: 20_000,
    consumed: 27_000,
    exhausted: true,
  },
  burn: {
    status: 'page',
    message: 'Burning 50.0× over 1h and 5m: page',
    worst: { window: '1h', rate: 50 },
    rates: [
      { window: '5m', rate: 52.1 },
      { window: '1h', rate: 50 },
      { window: '6h', rate: 9.2 },
      { window: '3d', rate: 1.4 },
    ],
  },
});

export const TICKET = anSlo({
  name: 'payout-scheduling',
  displayName: 'Payout scheduling',
  entityRef: 'component:default/payout-scheduler',
  product: 'payouts',
  team: 'group:default/payouts-team',
  target: 0.999,
  attainment: 0.99912,
  budget: { remaining: 0.12, allowed: 400, consumed: 352, exhausted: false },
  burn: {
    status: 'ticket',
    message: 'Burning 4.1× over 1d and 2h: ticket',
    worst: { window: '1d', rate: 4.1 },
    rates: [
      { window: '2h', rate: 4.5 },
      { window: '1d', rate: 4.1 },
    ],
  },
});

export const NO_DATA = anSlo({
  name: 'card-authorisation-latency',
  displayName: 'Card authorisation under 250 ms',
  target: 0.99,
  hasData: false,
  message: 'Prometheus returned no samples for the total query over 28d',
  attainment: undefined,
  budget: undefined,
  burn: {
    status: 'no-data',
    message: 'No events in the window',
    rates: [
      { window: '5m', rate: null },
      { window: '1h', rate: null },
    ],
  },
});

export const OK = anSlo({
  name: 'ledger-posting-availability',
  displayName: 'Ledger posting availability',
  entityRef: 'component:default/ledger-writer',
  product: 'ledger',
  team: 'group:default/ledger-team',
  target: 0.9999,
  attainment: 0.99995,
  budget: { remaining: 0.5, allowed: 1000, consumed: 500, exhausted: false },
});

const DEFINITION_YAML = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: card-authorisation-availability
spec:
  budgetingMethod: Occurrences
`;

export function anOverview(overrides: Partial<SloOverview> = {}): SloOverview {
  return {
    slos: [OK, NO_DATA, PAGING, TICKET],
    problems: [],
    prometheus: {
      url: 'http://127.0.0.1:9099',
      connected: true,
      evaluatedAt: minutesAgo(2),
      queries: 96,
    },
    ...overrides,
  };
}

export function anEntitySlos(overrides: Partial<EntitySlos> = {}): EntitySlos {
  return {
    entityRef: CARD_AUTH,
    slos: [
      { ...NO_DATA, definitionYaml: DEFINITION_YAML },
      { ...PAGING, definitionYaml: DEFINITION_YAML },
    ],
    problems: [],
    prometheus: {
      url: 'http://127.0.0.1:9099',
      connected: true,
      evaluatedAt: minutesAgo(2),
      queries: 96,
    },
    ...overrides,
  };
}

export function aBurnDown(key: string = PAGING.key): BurnDown {
  return {
    key,
    points: [
      { time: '2026-10-06T00:00:00.000Z', remaining: 1 },
      { time: '2026-10-13T00:00:00.000Z', remaining: null },
      { time: '2026-10-20T00:00:00.000Z', remaining: 0.8 },
      { time: '2026-11-02T00:00:00.000Z', remaining: -0.35 },
    ],
  };
}

export const THIS_WEEK = '2026-11-02';
export const LAST_WEEK = '2026-10-26';
export const TWO_WEEKS_AGO = '2026-10-19';

export function aNote(overrides: Partial<ReviewNote> = {}): ReviewNote {
  return {
    id: 'n-1',
    sloKey: PAGING.key,
    week: THIS_WEEK,
    kind: 'note',
    text: 'Scheme connection pool exhausted on Tuesday',
    author: 'user:default/grace.adeyemi',
    createdAt: '2026-11-03T14:05:00.000Z',
    ...overrides,
  };
}

function aLine(
  slo: SloStatus,
  overrides: Partial<WeeklySloLine> = {},
): WeeklySloLine {
  return {
    slo: {
      key: slo.key,
      name: slo.name,
      displayName: slo.displayName,
      entityRef: slo.entityRef,
      product: slo.product,
      team: slo.team,
      source: slo.source,
      target: slo.target,
      windowLabel: slo.windowLabel,
    },
    attainment: slo.attainment,
    budgetRemaining: slo.budget?.remaining,
    breached: false,
    worstBurn: slo.burn.status,
    notes: [],
    ...overrides,
  };
}

export function aReview(overrides: Partial<WeeklyReview> = {}): WeeklyReview {
  return {
    week: THIS_WEEK,
    previousWeek: LAST_WEEK,
    weeks: [THIS_WEEK, LAST_WEEK, TWO_WEEKS_AGO],
    groups: [
      {
        product: 'ledger',
        team: 'group:default/ledger-team',
        lines: [aLine(OK, { attainmentChange: 0 })],
      },
      {
        product: 'card-acquiring',
        team: 'group:default/card-acquiring-team',
        lines: [
          aLine(PAGING, {
            attainmentChange: -0.049,
            breached: true,
            notes: [
              aNote(),
              aNote({
                id: 'n-2',
                kind: 'action',
                text: 'Raise the pool size and alert on saturation',
                owner: 'card-acquiring-team',
              }),
            ],
          }),
          aLine(NO_DATA, { attainment: undefined, budgetRemaining: undefined }),
        ],
      },
      {
        product: 'payouts',
        team: 'group:default/payouts-team',
        lines: [aLine(TICKET, { attainmentChange: 0.012 })],
      },
    ],
    ...overrides,
  };
}

/** The error the SloClient throws for a Backstage error answer. */
export const aResponseError = responseErrorFor({
  method: 'GET',
  url: '/api/slo',
});
