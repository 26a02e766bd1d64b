import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { AUTHORIZE_BATCH, allowedOf, authorizeEach } from './permissions';

const readPermission = createPermission({
  name: 'test.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const refs = Array.from(
  { length: 600 },
  (_, i) => `component:default/service-${i}`,
);
const credentials = mockCredentials.user();

/** A policy that answers CONDITIONAL overall and allows the even-numbered services one by one. */
function evenServicesPolicy() {
  const batchSizes: number[] = [];
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async requests =>
      requests.map(
        (): PolicyDecision => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: [] },
          },
        }),
      ),
    authorize: async requests => {
      batchSizes.push(requests.length);
      return requests.map(r => ({
        result:
          Number(r.resourceRef!.split('-').pop()) % 2 === 0
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  });
  return { permissions, batchSizes };
}

describe('authorizeEach', () => {
  it('asks once and answers all when the policy allows every resource', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map((): PolicyDecision => ({ result: AuthorizeResult.ALLOW })),
    });
    expect(
      await authorizeEach(permissions, credentials, readPermission, refs),
    ).toBe('all');
    expect(permissions.authorize).not.toHaveBeenCalled();
    expect(
      await allowedOf(permissions, credentials, readPermission, refs),
    ).toEqual(new Set(refs));
  });

  it('allows nothing when the policy denies, without asking per resource', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map((): PolicyDecision => ({ result: AuthorizeResult.DENY })),
    });
    expect(
      await authorizeEach(permissions, credentials, readPermission, refs),
    ).toEqual(new Set());
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('asks per resource, in batches the permission backend accepts, when the answer is conditional', async () => {
    const { permissions, batchSizes } = evenServicesPolicy();
    const allowed = await authorizeEach(
      permissions,
      credentials,
      readPermission,
      refs,
    );
    expect(allowed).toEqual(new Set(refs.filter((_, i) => i % 2 === 0)));
    expect(batchSizes).toEqual([AUTHORIZE_BATCH, AUTHORIZE_BATCH, 100]);
  });
});
