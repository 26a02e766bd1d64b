import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { Waiver } from '@internal/dr-readiness-common';
import {
  DR_CONTROLS,
  findDrTier,
  normaliseEntityRef,
  waiverProblems,
} from '@internal/dr-readiness-node';
import type { DrStore } from '../../database/DrStore';
import type { DrService } from '../serviceDirectory';
import type { DrSettings } from '../settings';

/** A waiver as a user asks for it. */
export interface WaiverRequest {
  controlId: string;
  reason: string;
  /** YYYY-MM-DD or an ISO time. */
  expiresAt: string;
}

/** The signed-in person a write is for. */
export interface WriteOptions {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
}

/**
 * Waivers' writes and their rules: requested by anyone who reads the service's DR readiness (it
 * counts for nothing until approved), approved by a DR approver who neither requested it nor
 * belongs to the owning team, revoked by a DR approver. Callers check the permissions first.
 */
export class WaiverWriter {
  constructor(
    private readonly options: {
      store: DrStore;
      /** The service behind an entity ref, or a 404. */
      service: (entityRef: string) => Promise<DrService>;
      settings: DrSettings;
      userInfo: UserInfoService;
      now: () => Date;
    },
  ) {}

  /** Records a waiver as `requested` by the caller; a 400 names what is wrong with it. */
  async request(
    entityRef: string,
    request: WaiverRequest,
    { credentials }: WriteOptions,
  ): Promise<Waiver> {
    const { store, settings, userInfo, now } = this.options;
    const service = await this.options.service(entityRef);
    const tier = findDrTier(settings.tiers, service.tier);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const problems = waiverProblems(
      request,
      DR_CONTROLS.map(c => c.id),
      (tier?.controls ?? []).map(c => c.id),
      now(),
      { tierId: service.tier },
    );
    if (problems.length > 0)
      throw new InputError(`Invalid waiver: ${problems.join('; ')}`);
    return store.addWaiver({
      entityRef,
      controlId: request.controlId,
      reason: request.reason.trim(),
      status: 'requested',
      expiresAt: new Date(request.expiresAt).toISOString(),
      createdBy: userEntityRef,
      createdAt: now().toISOString(),
    });
  }

  /** Approves a requested waiver as the caller (segregation of duties: not its requester, not of the owning team). */
  async approve(
    entityRef: string,
    id: string,
    { credentials }: WriteOptions,
  ): Promise<Waiver> {
    const { store, userInfo, now } = this.options;
    const waiver = await this.approvable(entityRef, id);
    const { userEntityRef, ownershipEntityRefs } = await userInfo.getUserInfo(
      credentials,
    );
    // Segregation of duties: the approver is neither the requester nor of the owning team.
    if (
      normaliseEntityRef(userEntityRef) === normaliseEntityRef(waiver.createdBy)
    ) {
      throw new NotAllowedError(
        `You requested waiver '${waiver.id}', so another DR approver must approve it`,
      );
    }
    const service = await this.options.service(entityRef);
    const owner = service.owner && normaliseEntityRef(service.owner);
    if (
      owner &&
      ownershipEntityRefs.some(ref => normaliseEntityRef(ref) === owner)
    ) {
      throw new NotAllowedError(
        `You belong to ${service.owner}, which owns ${entityRef}: a DR approver outside the owning team must approve its waivers`,
      );
    }
    const approved = await store.approveWaiver(
      entityRef,
      waiver.id,
      userEntityRef,
      now(),
    );
    if (!approved)
      throw new ConflictError(
        `Waiver '${waiver.id}' was approved or revoked meanwhile; reload to see it`,
      );
    return approved;
  }

  /** The waiver, still waiting for approval: a 404 when there is none, a 409 when it is revoked, approved or expired. */
  private async approvable(entityRef: string, id: string): Promise<Waiver> {
    const waiver = await this.options.store.waiver(entityRef, id);
    if (!waiver) throw new NotFoundError(`No waiver '${id}' on ${entityRef}`);
    if (waiver.revokedAt)
      throw new ConflictError(
        `Waiver '${waiver.id}' was revoked by ${waiver.revokedBy}; ask for a new one`,
      );
    if (waiver.status === 'approved')
      throw new ConflictError(
        `Waiver '${waiver.id}' was already approved by ${waiver.approver}`,
      );
    if (Date.parse(waiver.expiresAt) <= this.options.now().getTime())
      throw new ConflictError(
        `Waiver '${waiver.id}' expired at ${waiver.expiresAt} before it was approved; ask for a new one`,
      );
    return waiver;
  }

  /** Revokes a waiver as the caller (a revoked one stays as it was); a 404 when there is none. */
  async revoke(
    entityRef: string,
    id: string,
    { credentials }: WriteOptions,
  ): Promise<Waiver> {
    const { store, userInfo, now } = this.options;
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const waiver = await store.revokeWaiver(
      entityRef,
      id,
      userEntityRef,
      now(),
    );
    if (!waiver) throw new NotFoundError(`No waiver '${id}' on ${entityRef}`);
    return waiver;
  }
}
