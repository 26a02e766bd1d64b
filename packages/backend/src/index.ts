import { createBackend } from '@backstage/backend-defaults';
import { permissionModulePaymentsPolicy } from './modules/permissionPolicy';
import { techdocsModuleMkdocsGuidance } from './modules/techdocsMkdocsGuidance';
import { rootHttpRouterWithRequestDrain } from './cluster/requestDrain';
import { schedulerWithDrain } from './cluster/schedulerDrain';
import { databaseWithStartupLock } from './cluster/startupLock';

const backend = createBackend();

// Replicas sharing one PostgreSQL: one starts (migrates) at a time; on SIGTERM, requests in
// flight finish and scheduled runs stop and release their locks before the database closes.
backend.add(databaseWithStartupLock);
backend.add(rootHttpRouterWithRequestDrain);
backend.add(schedulerWithDrain);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));
backend.add(import('@backstage/plugin-events-backend'));

// auth: guest locally (app-config.yaml), GitHub in production (app-config.production.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog, with the payments platform's rules (DR tiers, ...)
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@internal/catalog-backend-module-payments'));
// users and teams of the GitHub organisation (catalog.providers.githubOrg, production only)
backend.add(import('@backstage/plugin-catalog-backend-module-github-org'));

// permissions: our policy, not allow-all
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionModulePaymentsPolicy);

// scaffolder (golden paths)
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@internal/scaffolder-backend-module-payments'));

// search: Postgres engine in production, in-memory Lunr on SQLite
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-techdocs-backend'));
// mkdocs missing on the machine: the page says what to install instead of "spawn mkdocs ENOENT"
backend.add(techdocsModuleMkdocsGuidance);
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications (cost budgets and anomalies tell the owning team) and signals, their live push to the bell
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));

// payments platform
backend.add(import('@internal/cost-backend'));
backend.add(import('@internal/slo-backend'));
backend.add(import('@internal/dr-readiness-backend'));
// golden paths on day 2: the fleet by template version, upgrades and day-2 changes as reviewable merges
backend.add(import('@internal/golden-paths-backend'));

// A backend that cannot start (a missing taxonomy file, a bad config value) exits, so the
// orchestrator restarts it and shows why, instead of answering 503 for ever.
backend.start().catch(error => {
  process.stderr.write(`Backend startup failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
