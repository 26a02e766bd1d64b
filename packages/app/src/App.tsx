import { createApp } from '@backstage/frontend-defaults';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';
import techdocsAddons from '@backstage/plugin-techdocs-module-addons-contrib/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import costPlugin from '@internal/cost/alpha';
import drReadinessPlugin from '@internal/dr-readiness/alpha';
import goldenPathsPlugin from '@internal/golden-paths/alpha';
import sloPlugin from '@internal/slo/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/** Everything the portal shows, listed on purpose (no package discovery). */
export const features = [
  catalogPlugin,
  catalogGraphPlugin,
  apiDocsPlugin,
  orgPlugin,
  scaffolderPlugin,
  searchPlugin,
  techdocsPlugin,
  techdocsAddons,
  userSettingsPlugin,
  // the bell and the notifications page; signals push new ones without a reload
  notificationsPlugin,
  signalsPlugin,
  costPlugin,
  sloPlugin,
  drReadinessPlugin,
  goldenPathsPlugin,
  navModule,
  signInModule,
];

export default createApp({ features });
