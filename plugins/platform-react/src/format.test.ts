import {
  asEntityRef,
  entityName,
  formatAge,
  formatDateTime,
  formatShortDay,
} from './format';

describe('formatAge', () => {
  it('says how long ago in the largest unit that fits', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(formatAge('2026-11-25T11:59:30Z', now)).toBe('just now');
    expect(formatAge('2026-11-25T11:48:00Z', now)).toBe('12 min ago');
    expect(formatAge('2026-11-25T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-11-23T09:00:00Z', now)).toBe('2 d ago');
  });

  it('counts whole minutes, hours and days', () => {
    const now = new Date('2026-11-03T12:00:00Z');
    expect(formatAge('2026-11-03T11:59:40Z', now)).toBe('just now');
    expect(formatAge('2026-11-03T11:58:00Z', now)).toBe('2 min ago');
    expect(formatAge('2026-11-03T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-10-31T12:00:00Z', now)).toBe('3 d ago');
  });
});

describe('entity refs', () => {
  it('reads the name out of an entity ref', () => {
    expect(entityName('group:default/ledger-team')).toBe('ledger-team');
    expect(entityName('component:default/ledger-writer')).toBe('ledger-writer');
    expect(entityName('financial-core')).toBe('financial-core');
  });

  it('makes a ref of a name, keeping refs as they are', () => {
    expect(asEntityRef('ledger-team', 'group')).toBe(
      'group:default/ledger-team',
    );
    expect(asEntityRef('payments/ledger', 'system')).toBe(
      'system:payments/ledger',
    );
    expect(asEntityRef('system:default/ledger', 'group')).toBe(
      'system:default/ledger',
    );
  });
});

describe('times', () => {
  it('writes chart days in UTC and note times in the reader’s zone', () => {
    expect(formatShortDay('2026-11-03T23:30:00Z')).toBe('Nov 3');
    // The tests run in UTC (backstage-cli sets TZ).
    expect(formatDateTime('2026-11-25T17:41:03Z')).toBe('Nov 25, 5:41 PM');
  });
});
