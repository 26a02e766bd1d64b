import { resolveDefinitionTarget } from './definitions';

const FIX =
  "keep the OpenSLO file in the entity's own repository and write the annotation as a path relative to its catalog-info.yaml, e.g. ./slos.yaml";

describe('the SLO definitions annotation of a file-registered entity', () => {
  const location = 'file:/srv/portal/catalog/products/ledger.yaml';
  const origin = 'file:/srv/portal/catalog/all.yaml';

  it('reads a file under the location the entity was registered from', () => {
    expect(
      resolveDefinitionTarget('../slos/ledger.yaml', location, origin),
    ).toEqual({ type: 'file', target: '/srv/portal/catalog/slos/ledger.yaml' });
    expect(resolveDefinitionTarget('./slos.yaml', location)).toEqual({
      type: 'file',
      target: '/srv/portal/catalog/products/slos.yaml',
    });
  });

  it('refuses paths climbing out of it, absolute paths and URLs, saying what to write', () => {
    expect(() =>
      resolveDefinitionTarget('../../../../etc/x', location, origin),
    ).toThrow(
      `payments-platform/slo-definitions '../../../../etc/x' points outside the entity's own location (/etc/x is not under /srv/portal/catalog/products or /srv/portal/catalog); ${FIX}`,
    );
    expect(() =>
      resolveDefinitionTarget('../slos/ledger.yaml', location),
    ).toThrow(/points outside the entity's own location/);
    expect(() =>
      resolveDefinitionTarget('/etc/passwd', location, origin),
    ).toThrow(
      `payments-platform/slo-definitions '/etc/passwd' is an absolute path; ${FIX}`,
    );
    expect(() =>
      resolveDefinitionTarget(
        'https://evil.example.net/slos.yaml',
        location,
        origin,
      ),
    ).toThrow(
      `payments-platform/slo-definitions 'https://evil.example.net/slos.yaml' is on evil.example.net, not where the entity comes from (/srv/portal/catalog/products or /srv/portal/catalog); ${FIX}`,
    );
    expect(() =>
      resolveDefinitionTarget('file:///etc/passwd', location, origin),
    ).toThrow(/is a file: URL/);
    expect(() =>
      resolveDefinitionTarget('..%2f..%2fetc/x', location, origin),
    ).toThrow(/encoded slash/);
  });
});
