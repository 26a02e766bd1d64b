import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Offers the providers listed in `app.signInProviders`: GitHub in production; in the embedded
 * default only `guest`, which signs in without a click.
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { ProxiedSignInPage, SignInPage } = await import(
        '@backstage/core-components'
      );
      const { configApiRef, githubAuthApiRef, useApi } = await import(
        '@backstage/core-plugin-api'
      );
      const github = {
        id: 'github-auth-provider',
        title: 'GitHub',
        message: 'Sign in with your company GitHub account',
        apiRef: githubAuthApiRef,
      };
      return props => {
        const config = useApi(configApiRef);
        const wanted = config.getOptionalStringArray('app.signInProviders') ?? [
          'guest',
        ];
        if (wanted.length === 1 && wanted[0] === 'guest') {
          // The guest provider is a proxied one: the backend answers its refresh with a token.
          return <ProxiedSignInPage {...props} provider="guest" />;
        }
        const providers = wanted.map(id =>
          id === 'github' ? github : ('guest' as const),
        );
        return (
          <SignInPage
            {...props}
            title="Sign in to the Payments Platform Portal"
            providers={providers}
          />
        );
      };
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
