import { CHECKED_CONTROL_IDS } from './checks';
import { DR_CONTROL_IDS, DR_CONTROLS } from './controls';
import { closestId, unknownControlMessage } from './unknownControl';

describe('DR_CONTROLS', () => {
  it('has unique ids, each with a check, a title, an area and auditor references', () => {
    expect(new Set(DR_CONTROL_IDS).size).toBe(DR_CONTROLS.length);
    expect([...CHECKED_CONTROL_IDS].sort()).toEqual([...DR_CONTROL_IDS].sort());
    for (const control of DR_CONTROLS) {
      expect(control.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(control.title.length).toBeGreaterThan(5);
      expect(control.description.length).toBeGreaterThan(40);
      expect(control.references.length).toBeGreaterThan(0);
    }
  });
});

describe('unknownControlMessage', () => {
  it('suggests the nearest id for a typo and lists the known ids', () => {
    expect(closestId('s3-versionning', DR_CONTROL_IDS)).toBe('s3-versioning');
    expect(closestId('RDS-MULTI-AZ', DR_CONTROL_IDS)).toBe('rds-multi-az');
    expect(closestId('completely-different', DR_CONTROL_IDS)).toBeUndefined();
    expect(closestId('dynamodb-pitr-enabled', DR_CONTROL_IDS)).toBe(
      'dynamodb-pitr',
    );
    expect(closestId('multi-region', DR_CONTROL_IDS)).toBe('kms-multi-region');
    // "backup" is part of several ids: no guess.
    expect(closestId('backup', DR_CONTROL_IDS)).toBeUndefined();
    expect(
      unknownControlMessage('dynamo-pitr', ['dynamodb-pitr', 's3-versioning']),
    ).toBe(
      '"dynamo-pitr" is not a control; did you mean "dynamodb-pitr"? Known: dynamodb-pitr, s3-versioning',
    );
  });
});
