export interface Config {
  app: {
    /**
     * Sign-in providers offered on the sign-in page, in order. `guest` signs in without a
     * click (embedded default only); `github` needs auth.providers.github in the backend.
     * @visibility frontend
     */
    signInProviders?: Array<'guest' | 'github'>;
  };
}
