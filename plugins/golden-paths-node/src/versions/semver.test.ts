import { compareVersions, isTemplateVersion } from './semver';

describe('compareVersions', () => {
  it('orders by major, minor and patch as numbers', () => {
    const sorted = [
      '1.9.0',
      '1.10.0',
      '0.9.9',
      '1.2.10',
      '1.2.9',
      '2.0.0',
    ].sort(compareVersions);
    expect(sorted).toEqual([
      '0.9.9',
      '1.2.9',
      '1.2.10',
      '1.9.0',
      '1.10.0',
      '2.0.0',
    ]);
    expect(compareVersions('1.2.0', '1.2.0')).toBe(0);
  });

  it('refuses versions that are not MAJOR.MINOR.PATCH, saying the form', () => {
    expect(isTemplateVersion('1.2')).toBe(false);
    expect(isTemplateVersion('01.2.0')).toBe(false);
    expect(isTemplateVersion('1.2.0-rc.1')).toBe(false);
    expect(() => compareVersions('1.2', '1.2.0')).toThrow(
      /MAJOR\.MINOR\.PATCH, e\.g\. '1\.2\.0'/,
    );
  });
});
