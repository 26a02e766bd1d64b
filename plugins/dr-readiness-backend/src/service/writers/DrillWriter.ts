import type { UserInfoService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  drillMinutes,
  type DrillRequest,
  type FailoverDrill,
} from '@internal/dr-readiness-common';
import type { DrStore } from '../../database/DrStore';
import type { DrService } from '../serviceDirectory';
import type { WriteOptions } from './WaiverWriter';

/**
 * Records failover drills as the signed-in user's: who ran it comes from the credentials, never
 * from the request. Callers check dr.drill.create and validate the request (routes/drills.ts).
 */
export class DrillWriter {
  constructor(
    private readonly options: {
      store: DrStore;
      /** The service behind an entity ref, or a 404. */
      service: (entityRef: string) => Promise<DrService>;
      userInfo: UserInfoService;
      now: () => Date;
    },
  ) {}

  /** Why drills cannot be recorded for `entityRef` (not a service with a DR tier), or undefined. */
  async unknownService(entityRef: string): Promise<string | undefined> {
    try {
      await this.options.service(entityRef);
      return undefined;
    } catch (error) {
      if (error instanceof NotFoundError) return error.message;
      throw error;
    }
  }

  async record(
    entityRef: string,
    request: DrillRequest,
    { credentials }: WriteOptions,
  ): Promise<FailoverDrill> {
    const { store, userInfo, now } = this.options;
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const startedAt = new Date(request.startedAt).toISOString();
    const endedAt = new Date(request.endedAt).toISOString();
    const notes = request.notes?.trim();
    return store.addDrill({
      entityRef,
      kind: request.kind,
      startedAt,
      endedAt,
      durationMinutes: drillMinutes(startedAt, endedAt),
      outcome: request.outcome,
      ...(notes ? { notes } : {}),
      ...(request.link ? { link: request.link } : {}),
      recordedBy: userEntityRef,
      recordedAt: now().toISOString(),
    });
  }
}
