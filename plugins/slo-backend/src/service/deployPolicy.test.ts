import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { budgetPolicyFor } from '@internal/slo-node';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { readDemoDeploys } from './demoDeploys';
import { approvalUrl, readDeployPolicySettings } from './deployPolicy';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');

describe('the error-budget policy settings', () => {
  it('reads the shipped app-config: tier-0 deploys under the strict policy, the demo holds two fixes', () => {
    const config = new ConfigReader(
      yaml.parse(fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8')),
    );
    const settings = readDeployPolicySettings(config);
    expect(
      budgetPolicyFor(settings.policies, { tier: 'tier-0' }),
    ).toMatchObject({ name: 'strict' });
    expect(
      budgetPolicyFor(settings.policies, { tier: 'tier-2' }),
    ).toMatchObject({ name: 'standard' });
    expect(
      readDemoDeploys(config).map(d => [d.deployId, d.approvedBy]),
    ).toEqual([
      ['demo-pool-size-hotfix', 'user:default/maya.cohen'],
      ['demo-retry-budget-fix', undefined],
    ]);
  });

  it('links an approver to the deploy on the portal, and stops on a bad policy naming the key', () => {
    const settings = readDeployPolicySettings(
      new ConfigReader({ app: { baseUrl: 'https://portal.example/' } }),
    );
    expect(approvalUrl(settings, 'component:default/a b', '42')).toBe(
      'https://portal.example/slo/approve?componentRef=component%3Adefault%2Fa+b&deployId=42',
    );
    expect(() =>
      readDeployPolicySettings(
        new ConfigReader({
          slo: { budgetPolicies: { policies: { p: [{ burn: 'fast' }] } } },
        }),
      ),
    ).toThrow(
      'Invalid config: slo.budgetPolicies.policies.p[0].burn must be page or ticket',
    );
    expect(() =>
      readDemoDeploys(
        new ConfigReader({
          slo: {
            demo: {
              deploys: [
                {
                  componentRef: 'component:default/a',
                  deployId: 'd',
                  approvedBy: 'user:default/x',
                },
              ],
            },
          },
        }),
      ),
    ).toThrow(
      'Invalid config: slo.demo.deploys[0].reason is required with approvedBy',
    );
  });
});
