import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/** A signed-in person's credentials (writes: waivers, notes, rescans). */
export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** A signed-in person's or another plugin's (or an external-access token's) credentials (reads). */
export type CallerCredentials = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;
