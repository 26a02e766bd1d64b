/** What a demo SLO shows: its burn-rate status and whether its error budget is spent. */
export interface DemoSloState {
  burn: 'page' | 'ticket' | 'ok';
  exhausted: boolean;
}

const healthy: DemoSloState = { burn: 'ok', exhausted: false };

/**
 * What each SLO of catalog/slos shows over the demo traffic, whatever the day and the hour it
 * starts: the story the README tells, proved at anchors across the calendar by demoStory.test.ts
 * and through a real Prometheus by the tests that start one.
 */
export const DEMO_SLO_STORY: Readonly<Record<string, DemoSloState>> = {
  'card-authorisation-availability': { burn: 'page', exhausted: false },
  'card-authorisation-latency': healthy,
  'card-tokenisation-availability': healthy,
  'payout-scheduling-availability': { burn: 'ticket', exhausted: false },
  'payout-rails-latency': { burn: 'ok', exhausted: true },
  'fx-rates-availability': { burn: 'ok', exhausted: true },
  'wallet-balance-availability': { burn: 'ok', exhausted: true },
  'custody-signing-availability': healthy,
  'ledger-writes-availability': healthy,
  'ledger-writes-latency': healthy,
  'regulatory-reporting-availability': healthy,
};

/**
 * SLOs with several objectives, each objective's state in order (the SLO's own state above is
 * the worst of them): the wallet's partner objective (99.98 %) was spent by last week's bad deploy
 * while its 99.95 % objective is fine.
 */
export const DEMO_SLO_OBJECTIVES: Readonly<Record<string, DemoSloState[]>> = {
  'wallet-balance-availability': [healthy, { burn: 'ok', exhausted: true }],
};
