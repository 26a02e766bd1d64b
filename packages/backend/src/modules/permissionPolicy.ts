import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PaymentsPermissionPolicy } from './PaymentsPermissionPolicy';

/** Installs {@link PaymentsPermissionPolicy} as the permission backend's policy. */
export const permissionModulePaymentsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'payments-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, logger, userInfo, policy }) {
        const adminGroups =
          config.getOptionalStringArray(
            'permission.paymentsPolicy.adminGroups',
          ) ?? [];
        const costReaders =
          config.getOptionalStringArray(
            'permission.paymentsPolicy.costReaders',
          ) ?? [];
        const sloReviewers =
          config.getOptionalStringArray(
            'permission.paymentsPolicy.sloReviewers',
          ) ?? [];
        const sloApprovers =
          config.getOptionalStringArray(
            'permission.paymentsPolicy.sloApprovers',
          ) ?? [];
        const drApprovers =
          config.getOptionalStringArray(
            'permission.paymentsPolicy.drApprovers',
          ) ?? [];
        policy.setPolicy(
          new PaymentsPermissionPolicy({
            adminGroups,
            costReaders,
            sloReviewers,
            sloApprovers,
            drApprovers,
            userInfo,
            logger,
          }),
        );
      },
    });
  },
});
