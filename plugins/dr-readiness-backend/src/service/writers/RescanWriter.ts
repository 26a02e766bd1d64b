import type { UserInfoService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScanSummary } from '@internal/dr-readiness-common';
import { findDrTier } from '@internal/dr-readiness-node';
import type { RescanRefusal } from '../../database/DrStore';
import type { DrScanner } from '../DrScanner';
import type { DrService } from '../serviceDirectory';
import type { DrSettings } from '../settings';
import type { WriteOptions } from './WaiverWriter';

/**
 * On-demand rescans of one service for the signed-in person: the service must have a tier of
 * drReadiness.tiers; DrScanner then starts it within the limits of drReadiness.rescan (which every
 * replica enforces through the database) or says which limit refused. Callers check the
 * permission (dr.scan.create) first.
 */
export class RescanWriter {
  constructor(
    private readonly options: {
      scanner: Pick<DrScanner, 'requestRescan'>;
      /** The service behind an entity ref, or a 404. */
      service: (entityRef: string) => Promise<DrService>;
      settings: DrSettings;
      userInfo: UserInfoService;
    },
  ) {}

  async request(
    entityRef: string,
    { credentials }: WriteOptions,
  ): Promise<{ scan: ScanSummary } | { refused: RescanRefusal }> {
    const { scanner, settings, userInfo } = this.options;
    const service = await this.options.service(entityRef);
    if (!findDrTier(settings.tiers, service.tier)) {
      throw new InputError(
        `${entityRef} has tier "${service.tier}", which is not one of drReadiness.tiers; fix the annotation before rescanning`,
      );
    }
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    return scanner.requestRescan(service, userEntityRef);
  }
}
