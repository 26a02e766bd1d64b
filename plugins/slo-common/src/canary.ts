/** The pod track a deploy gate call is about (every metric and pod carries label `track`). */
export type DeployTrack = 'canary' | 'stable';

/** One track's events of an SLI over the canary window. */
export interface CanaryTrackEvents {
  /** Bad-event ratio (0-1); null without events. */
  ratio: number | null;
  events: number;
  bad: number;
}

/** One SLO objective's verdict on the canary, judged on the canary's own SLI. */
export interface CanaryJudgement {
  sloKey: string;
  slo: string;
  objective?: string;
  target: number;
  canary: CanaryTrackEvents;
  stable: CanaryTrackEvents;
  /** The canary's bad ratio over the sustainable rate (1 - target). */
  burnRate: number | null;
  verdict: 'allow' | 'deny';
  /** canary-within-budget, canary-burn, canary-worse-than-stable, canary-few-events, canary-no-track, canary-unsupported. */
  code: string;
  reason: string;
}

/** The deploy gate's judgement of a canary (GET /gate track=canary&canarySince=...). */
export interface CanaryAnswer {
  verdict: 'allow' | 'deny';
  /** The canary window: canarySince to the gate's evaluation time. */
  window: { from: string; to: string };
  settings: {
    maxBurnRate: number;
    maxRatioToBaseline: number;
    minEvents: number;
  };
  judgements: CanaryJudgement[];
}
