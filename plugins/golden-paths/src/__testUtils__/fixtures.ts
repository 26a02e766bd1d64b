import {
  FileChange,
  FleetResponse,
  FleetService,
  Proposal,
  UpgradePlan,
} from '@internal/golden-paths-common';

export const LEDGER_REF = 'component:default/ledger-writer';
export const PAYMENT_SERVICE = 'template:default/payment-service';
export const EVENT_CONSUMER = 'template:default/payment-event-consumer';

export function aService(
  overrides: Partial<FleetService> & { name: string },
): FleetService {
  const { name, ...rest } = overrides;
  return {
    entityRef: `component:default/${name}`,
    owner: 'group:default/ledger-team',
    system: 'system:default/ledger',
    templateRef: PAYMENT_SERVICE,
    template: 'payment-service',
    version: '1.3.0',
    latestVersion: '1.3.0',
    versionsBehind: 0,
    status: 'none',
    ...rest,
  };
}

/** Five services: behind, conflicted, just merged, current on another template, unreadable. */
export function aFleet(overrides: Partial<FleetResponse> = {}): FleetResponse {
  return {
    templates: [
      {
        templateRef: PAYMENT_SERVICE,
        name: 'payment-service',
        versions: ['1.3.0', '1.2.0', '1.1.0'],
      },
      {
        templateRef: EVENT_CONSUMER,
        name: 'payment-event-consumer',
        versions: ['1.0.0'],
      },
    ],
    services: [
      aService({ name: 'ledger-writer', version: '1.2.0', versionsBehind: 1 }),
      aService({
        name: 'card-vault',
        owner: 'group:default/card-team',
        system: 'system:default/card-acquiring',
        version: '1.1.0',
        versionsBehind: 2,
        status: 'conflicts',
        proposal: {
          id: 'p-card',
          toVersion: '1.3.0',
          status: 'conflicts',
          conflicts: 2,
          kind: 'upgrade',
        },
      }),
      aService({
        name: 'fx-quote',
        status: 'merged',
        proposal: {
          id: 'p-fx',
          toVersion: '1.3.0',
          status: 'merged',
          conflicts: 0,
          kind: 'upgrade',
        },
      }),
      aService({
        name: 'payout-consumer',
        owner: 'group:default/card-team',
        templateRef: EVENT_CONSUMER,
        template: 'payment-event-consumer',
        version: '1.0.0',
        latestVersion: '1.0.0',
      }),
      aService({
        name: 'refund-api',
        version: undefined,
        versionsBehind: undefined,
        problem:
          'version annotation missing: add payments-platform/template-version',
      }),
    ],
    ...overrides,
  };
}

export function aPlan(overrides: Partial<UpgradePlan> = {}): UpgradePlan {
  return {
    entityRef: LEDGER_REF,
    templateRef: PAYMENT_SERVICE,
    template: 'payment-service',
    fromVersion: '1.2.0',
    toVersion: '1.3.0',
    newerVersions: ['1.3.0'],
    answers: {
      name: 'ledger-writer',
      owner: 'group:default/ledger-team',
      alertChannel: '#ledger-alerts',
      tracing: true,
      replicas: 2,
      region: 'eu-west-2',
    },
    newParameters: [
      {
        name: 'alertChannel',
        title: 'Alert channel',
        type: 'string',
        default: '#ledger-alerts',
        pattern: '^#[a-z0-9-]+$',
        required: true,
      },
      {
        name: 'region',
        title: 'Region',
        type: 'string',
        enum: ['eu-west-1', 'eu-west-2'],
        enumNames: ['Ireland', 'London'],
        default: 'eu-west-2',
        required: true,
      },
      {
        name: 'tracing',
        title: 'Tracing',
        description: 'Send traces to the collector',
        type: 'boolean',
        default: true,
        required: false,
      },
      {
        name: 'replicas',
        title: 'Replicas',
        type: 'integer',
        default: 2,
        required: false,
      },
    ],
    ...overrides,
  };
}

export const CONFLICT_FILE: FileChange = {
  path: 'src/index.ts',
  outcome: 'conflict',
  conflict: 'content',
  note: 'Both changed the port line: pick one, or edit the branch.',
  patch: [
    '--- a/src/index.ts',
    '+++ b/src/index.ts',
    '@@ -1,3 +1,7 @@',
    " import { start } from './server';",
    '-start(8080);',
    '+<<<<<<< yours',
    '+start(9090);',
    '+=======',
    '+start(Number(process.env.PORT));',
    '+>>>>>>> template',
    ' ',
  ].join('\n'),
};

export const UPDATED_FILE: FileChange = {
  path: '.github/workflows/ci.yaml',
  outcome: 'updated',
  patch: [
    '--- a/.github/workflows/ci.yaml',
    '+++ b/.github/workflows/ci.yaml',
    '@@ -4,1 +4,1 @@',
    '-      node-version: 20',
    '+      node-version: 22',
  ].join('\n'),
};

export const LOCK_FILE: FileChange = {
  path: 'yarn.lock',
  outcome: 'reported',
  note: 'Generated file: kept yours; run yarn install on the branch.',
  patch: '',
};

export function aProposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: 'p-ledger',
    entityRef: LEDGER_REF,
    kind: 'upgrade',
    title: 'Upgrade ledger-writer to payment-service 1.3.0',
    template: 'payment-service',
    fromVersion: '1.2.0',
    toVersion: '1.3.0',
    target: 'local',
    branch: 'golden-path/upgrade-1.3.0-a1b2c3',
    status: 'conflicts',
    files: [UPDATED_FILE, LOCK_FILE, CONFLICT_FILE],
    conflicts: 1,
    answers: {},
    createdBy: 'user:default/ada.lovelace',
    createdAt: '2026-12-07T01:30:00Z',
    ...overrides,
  };
}
