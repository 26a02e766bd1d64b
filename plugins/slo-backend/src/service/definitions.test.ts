import { productOf, resolveDefinitionTarget } from './definitions';

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

describe('the product an SLO is reviewed under', () => {
  it('is one product however the service writes its System, so the weekly review shows one section for it', () => {
    // The demo catalog writes the short name; the golden paths write the full entity ref.
    for (const system of [
      'card-acquiring',
      'system:card-acquiring',
      'system:default/card-acquiring',
      'default/card-acquiring',
    ])
      expect(productOf(system)).toBe('card-acquiring');
    expect(productOf('system:emea/card-acquiring')).toBe('emea/card-acquiring');
    // A System named without a namespace lives in the entity's own.
    expect(productOf('card-acquiring', 'emea')).toBe('emea/card-acquiring');
    expect(productOf(undefined)).toBeUndefined();
  });
});
