import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';
import { subRouteRefs } from '@internal/platform-react';

/** The fleet of golden-path services (mounted at /golden-paths in our app). */
export const rootRouteRef = createRouteRef({ id: 'golden-paths' });
const view = subRouteRefs(rootRouteRef);

/** Upgrading one service, e.g. /golden-paths/upgrade?entityRef=component:default/x. */
export const upgradeRouteRef = view('golden-paths/upgrade', '/upgrade');

/** One proposed change with its diff, e.g. /golden-paths/proposals/7f3a. */
export const proposalRouteRef = view('golden-paths/proposal', '/proposals/:id');

/**
 * The scaffolder's task page, where a proposal started from the upgrade page runs and whose
 * output links back to the proposal. Optional: a legacy app that binds nothing gets the
 * scaffolder's usual address (/create/tasks/:taskId). The new frontend system binds it to the
 * scaffolder's `ongoingTask` route by default; a legacy app binds it in `bindRoutes`, e.g.
 * `bind(goldenPathsPlugin.externalRoutes, { scaffolderTask: scaffolderPlugin.routes.ongoingTask })`.
 */
export const scaffolderTaskRouteRef = createExternalRouteRef({
  id: 'golden-paths/scaffolder-task',
  params: ['taskId'],
  optional: true,
  defaultTarget: 'scaffolder.ongoingTask',
});

/** The scaffolder's template list (Create), where services start their golden path. */
export const createServiceRouteRef = createExternalRouteRef({
  id: 'golden-paths/create',
  optional: true,
  defaultTarget: 'scaffolder.root',
});

/** The plugin's routes, the same in both frontend systems. */
export const goldenPathsRoutes = {
  root: rootRouteRef,
  upgrade: upgradeRouteRef,
  proposal: proposalRouteRef,
};

/** The routes of the app the plugin links to, the same in both frontend systems. */
export const goldenPathsExternalRoutes = {
  scaffolderTask: scaffolderTaskRouteRef,
  createService: createServiceRouteRef,
};
