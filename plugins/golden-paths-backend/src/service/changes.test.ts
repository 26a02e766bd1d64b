import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { changeOf, checkSlos, checkTierRaised, takeSide } from './changes';

const FX_SLOS = fs.readFileSync(
  resolvePackagePath(
    '@internal/golden-paths-backend',
    '../../catalog/slos/fx.yaml',
  ),
);

describe('checkSlos', () => {
  it('accepts valid OpenSLO and skips files left with conflict markers for the reviewer', () => {
    const marked = Buffer.from(
      '<<<<<<< yours (main)\ntarget: 1\n=======\ntarget: 2\n>>>>>>> template 1.3.0\n',
    );
    expect(() =>
      checkSlos(
        new Map([
          ['slos/fx.yaml', FX_SLOS],
          ['slos/conflicted.yaml', marked],
          ['docs/not-an-slo.yaml', Buffer.from('not: [openslo')],
        ]),
      ),
    ).not.toThrow();
  });

  it("refuses SLO files the OpenSLO parser rejects, quoting the parser's problems", () => {
    const broken = Buffer.from(
      FX_SLOS.toString('utf8').replace(
        'apiVersion: openslo/v1',
        'apiVersion: openslo/v0',
      ),
    );
    expect(() => checkSlos(new Map([['slos/fx.yaml', broken]]))).toThrow(
      /^The proposed SLOs are not valid OpenSLO: .*slos\/fx\.yaml.*apiVersion/,
    );
  });
});

describe('checkTierRaised', () => {
  const ref = 'component:default/refund-service';

  it('accepts a higher tier and names the tiers to choose from otherwise', () => {
    expect(() =>
      checkTierRaised(ref, { tier: 'tier-2' }, { tier: 'tier-1' }),
    ).not.toThrow();
    expect(() =>
      checkTierRaised(ref, { tier: 'tier-2' }, { tier: 'tier-2' }),
    ).toThrow(
      "answers.tier 'tier-2' does not raise the DR tier of component:default/refund-service (tier-2): a DR tier change only raises it; choose tier-0 or tier-1",
    );
    expect(() =>
      checkTierRaised(ref, { tier: 'tier-0' }, { tier: 'tier-0' }),
    ).toThrow(/tier-0 is the highest tier/);
    expect(() => checkTierRaised(ref, { tier: 'tier-2' }, {})).toThrow(
      /^answers\.tier is required for a DR tier change/,
    );
  });
});

describe('changeOf', () => {
  it('describes one file changing, appearing or going, and nothing for an unchanged one', () => {
    const a = Buffer.from('one\ntwo\n');
    const b = Buffer.from('one\nthree\n');
    expect(changeOf('f.txt', a, b)).toMatchObject({
      path: 'f.txt',
      outcome: 'updated',
    });
    expect(changeOf('f.txt', a, b)!.patch).toContain('+three');
    expect(changeOf('f.txt', undefined, b)).toMatchObject({ outcome: 'added' });
    expect(changeOf('f.txt', a, undefined)).toMatchObject({
      outcome: 'removed',
    });
    expect(changeOf('f.txt', a, Buffer.from(a))).toBeUndefined();
  });
});

describe('takeSide', () => {
  const conflicted = [
    'replicas: 3\n',
    '<<<<<<< yours (main)\n',
    '    cpu: 400m\n',
    '=======\n',
    '    cpu: 300m\n',
    '>>>>>>> template 1.3.0\n',
    'target: 65\n',
    '<<<<<<< yours (main)\n',
    'memory: 1Gi\n',
    '||||||| base\n',
    'memory: 512Mi\n',
    '=======\n',
    'memory: 768Mi\n',
    '>>>>>>> template 1.3.0\n',
  ].join('');

  it('takes one side of every conflict block and keeps the lines merged around them', () => {
    expect(takeSide(conflicted, 'yours')).toBe(
      'replicas: 3\n    cpu: 400m\ntarget: 65\nmemory: 1Gi\n',
    );
    expect(takeSide(conflicted, 'template')).toBe(
      'replicas: 3\n    cpu: 300m\ntarget: 65\nmemory: 768Mi\n',
    );
  });

  it('answers undefined for text without a complete conflict block', () => {
    expect(takeSide('plain\n', 'yours')).toBeUndefined();
    expect(takeSide('<<<<<<< yours\nhalf\n', 'template')).toBeUndefined();
  });
});
