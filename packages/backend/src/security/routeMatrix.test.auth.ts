import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { RELATION_MEMBER_OF } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

/*
 * Auth for the route matrix: Backstage's mock auth (mockCredentials headers), plus the two
 * pieces a real backend has that the mocks lack:
 *
 * - No token means no credentials (the mock's default is a signed-in user), so the
 *   httpRouter's credentials barrier answers 401 as it does in production.
 * - The static external-access tokens of backend.auth.externalAccess (the deploy gate's) are
 *   read from the config the test gives the backend. Such a token authenticates as a service
 *   principal whose subject is the configured subject, and a token with accessRestrictions is
 *   refused (403) by every plugin it is not restricted to, as Backstage's
 *   ExternalAuthTokenHandler does. Without this a mock service principal would carry no
 *   restrictions at all and reach every plugin.
 *
 * - A plugin calling another on behalf of a user passes the user with the calling plugin as
 *   actor, as real plugin tokens do (the mock drops the actor, and the permission backend then
 *   takes the call for a user's direct request and refuses the catalog's conditional reads).
 *
 * Ownership comes from the catalog the backend ingested: the user entity plus its memberOf
 * groups, as Backstage's default sign-in resolvers put them in the token.
 */

interface StaticToken {
  token: string;
  subject: string;
  /** The plugins the token is restricted to; undefined: not restricted. */
  plugins?: string[];
}

/** The static tokens of backend.auth.externalAccess. */
export function staticTokensOf(config: Config): StaticToken[] {
  return (config.getOptionalConfigArray('backend.auth.externalAccess') ?? [])
    .filter(entry => entry.getString('type') === 'static')
    .map(entry => {
      const restrictions = entry.getOptionalConfigArray('accessRestrictions');
      return {
        token: entry.getString('options.token'),
        subject: entry.getString('options.subject'),
        plugins: restrictions?.map(r => r.getString('plugin')),
      };
    });
}

const bearerOf = (header: unknown) =>
  typeof header === 'string'
    ? header.match(/^Bearer[ ]+(\S+)$/i)?.[1]
    : undefined;

/** httpAuth: mock tokens as the mock does, no token as none, static tokens as configured. */
export const routeMatrixHttpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: {
    plugin: coreServices.pluginMetadata,
    config: coreServices.rootConfig,
  },
  factory({ plugin, config }): HttpAuthService {
    const pluginId = plugin.getId();
    const mock = mockServices.httpAuth({
      pluginId,
      defaultCredentials: mockCredentials.none(),
    });
    const statics = staticTokensOf(config);
    return {
      async credentials(req, options) {
        const token = bearerOf(req.headers.authorization);
        const match = statics.find(s => s.token === token);
        if (!match) return mock.credentials(req, options);
        if (match.plugins && !match.plugins.includes(pluginId)) {
          throw new NotAllowedError(
            `This token's access is restricted to plugin(s) ${match.plugins
              .map(p => `'${p}'`)
              .join(', ')}`,
          );
        }
        const credentials = mockCredentials.service(
          match.subject,
          match.plugins ? {} : undefined,
        );
        const allow = options?.allow;
        if (allow && !allow.includes('service' as never)) {
          throw new NotAllowedError(
            `This endpoint does not allow 'service' credentials`,
          );
        }
        return credentials as any;
      },
      issueUserCookie: (res, options) => mock.issueUserCookie(res, options),
    };
  },
});

/** auth: the mock, except that calls on behalf of a user carry this plugin as actor. */
export const routeMatrixAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const pluginId = plugin.getId();
    const mock = mockServices.auth({ pluginId });
    return {
      authenticate: (token, options) => mock.authenticate(token, options),
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: ((credentials, type) =>
        mock.isPrincipal(credentials, type)) as AuthService['isPrincipal'],
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user' && principal.userEntityRef) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${pluginId}` },
            }),
          };
        }
        return mock.getPluginRequestToken(options);
      },
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
    };
  },
});

/** userInfo: the user entity and its memberOf groups, read from the catalog on every call. */
export const routeMatrixUserInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: { catalog: catalogServiceRef, auth: coreServices.auth },
  factory({ catalog, auth }) {
    return {
      async getUserInfo(credentials: BackstageCredentials) {
        if (!auth.isPrincipal(credentials, 'user')) {
          throw new AuthenticationError(
            'User info is only available for user principals',
          );
        }
        const userEntityRef = credentials.principal.userEntityRef;
        const entity = await catalog.getEntityByRef(userEntityRef, {
          credentials: await auth.getOwnServiceCredentials(),
        });
        const groups = (entity?.relations ?? [])
          .filter(r => r.type === RELATION_MEMBER_OF)
          .map(r => r.targetRef);
        return {
          userEntityRef,
          ownershipEntityRefs: [userEntityRef, ...groups],
        };
      },
    };
  },
});
