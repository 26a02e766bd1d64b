import { formatFacts } from './EvidenceDetail';

describe('formatFacts', () => {
  it("keeps a measured lag's hourly series on one line and the rest indented", () => {
    const text = formatFacts({
      rpoMinutes: 15,
      replicationLag: [
        {
          destination: 'eu-west-1',
          p99Minutes: 0.04,
          hourlyMaxMinutes: [0.03, null, 0.04],
        },
      ],
      availabilityZones: ['eu-west-2a'],
    });
    expect(text).toContain('"hourlyMaxMinutes": [0.03,null,0.04]');
    expect(text).toContain('"availabilityZones": [\n    "eu-west-2a"\n  ]');
    expect(JSON.parse(text)).toEqual({
      rpoMinutes: 15,
      replicationLag: [
        {
          destination: 'eu-west-1',
          p99Minutes: 0.04,
          hourlyMaxMinutes: [0.03, null, 0.04],
        },
      ],
      availabilityZones: ['eu-west-2a'],
    });
  });

  it('says when there are no facts', () => {
    expect(formatFacts(undefined)).toBe('No facts recorded.');
  });
});
