import { ConfigReader } from '@backstage/config';
import { DrTierConfigError, findDrTier, readDrTiers } from './tiers';

const config = (tiers: unknown) =>
  new ConfigReader({ drReadiness: { tiers } } as any);

describe('readDrTiers', () => {
  it('reads the tiers in declared order with their RTO and RPO', () => {
    const tiers = readDrTiers(
      config([
        { id: 'tier-0', title: 'Tier 0', rtoMinutes: 15, rpoMinutes: 1 },
        { id: 'tier-1', rtoMinutes: 60, rpoMinutes: 15 },
      ]),
    );
    expect(tiers).toEqual([
      { id: 'tier-0', title: 'Tier 0', rtoMinutes: 15, rpoMinutes: 1 },
      { id: 'tier-1', title: 'tier-1', rtoMinutes: 60, rpoMinutes: 15 },
    ]);
    expect(findDrTier(tiers, 'tier-1')?.rpoMinutes).toBe(15);
    expect(findDrTier(tiers, 'tier-9')).toBeUndefined();
  });

  it('refuses a missing tier list and says where to declare it', () => {
    expect(() => readDrTiers(new ConfigReader({}))).toThrow(
      /drReadiness\.tiers is missing or empty/,
    );
  });

  it('reports every bad field with its key in one error', () => {
    let error: unknown;
    try {
      readDrTiers(
        config([
          { id: 'tier-0', rtoMinutes: 15, rpoMinutes: 1 },
          { id: 'Tier One', rtoMinutes: 60, rpoMinutes: 15 },
          { id: 'tier-0', rtoMinutes: -5, rpoMinutes: 'soon' },
        ]),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrTierConfigError);
    const message = (error as Error).message;
    expect(message).toContain('drReadiness.tiers[1].id must be a lower-case id');
    expect(message).toContain('drReadiness.tiers[2].id "tier-0" is declared twice');
    expect(message).toContain(
      'drReadiness.tiers[2].rtoMinutes must be a positive number of minutes (got -5)',
    );
    expect(message).toContain(
      'drReadiness.tiers[2].rpoMinutes must be a positive number of minutes (got "soon")',
    );
  });
});
