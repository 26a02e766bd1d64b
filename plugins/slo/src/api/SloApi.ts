import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackendClient,
  BackendClientOptions,
  backendClientFactory,
} from '@internal/platform-react';
import {
  BurnDown,
  DeployApproval,
  DeployApprovals,
  EntitySlos,
  NewDeployApproval,
  SLO_DEPLOY_ROUTES,
  NewSloCorrection,
  ReviewNote,
  ReviewSignOff,
  SloCorrection,
  SLO_ROUTES,
  SloOverview,
  WeeklyReview,
} from '@internal/slo-common';

/** A note or action item recorded on one SLO in a weekly review. */
export interface NewReviewNote {
  sloKey: string;
  kind: ReviewNote['kind'];
  text: string;
  /** Who owns an action item. */
  owner?: string;
  /** When an action item is due, YYYY-MM-DD. */
  due?: string;
}

/** Reads the SLO backend (plugins/slo-backend, /api/slo); it never queries Prometheus for a page. */
export interface SloApi extends SloDeployApi {
  /** Every SLO as last evaluated, the definitions that could not be used, and Prometheus' state. */
  getOverview(): Promise<SloOverview>;
  /** A Component's or System's SLOs; `unannotated: true` answers are not errors, they say what to add. */
  getEntitySlos(entityRef: string): Promise<EntitySlos>;
  /** Remaining error budget of one SLO over its window. */
  getBurnDown(key: string): Promise<BurnDown>;
  /** One week's review, `week` as its Monday (YYYY-MM-DD); without it, the current week. */
  getReview(week?: string): Promise<WeeklyReview>;
  /** Throws a ResponseError with status 403 when the user may not write notes on that SLO. */
  addNote(week: string, note: NewReviewNote): Promise<ReviewNote>;
  setNoteDone(week: string, id: string, done: boolean): Promise<ReviewNote>;
  /** The week's review as Markdown (one team's section with `team`), fetched with the user's credentials. */
  downloadReviewMarkdown(week: string, team?: string): Promise<Blob>;
  /** Prometheus recording and alerting rules for an entity's SLOs (YAML). */
  downloadRules(entityRef: string): Promise<Blob>;
  /** Signs off a team's section of a week's review; 409 when it was signed off already. */
  signOff(week: string, team: string): Promise<ReviewSignOff>;
  /** An SLO's corrections, revoked ones too. */
  getCorrections(sloKey: string): Promise<SloCorrection[]>;
  /** Records a correction as the signed-in user; 403 for who is neither owner nor reviewer. */
  addCorrection(correction: NewSloCorrection): Promise<SloCorrection>;
  revokeCorrection(id: string): Promise<SloCorrection>;
}

/** The deploy approvals part of the SLO API (the error-budget policy). */
export interface SloDeployApi {
  /** A component's recent gate calls and approvals; with deployId, that deploy's latest gate answer. */
  getDeployApprovals(
    componentRef: string,
    deployId?: string,
  ): Promise<DeployApprovals>;
  /** Records an approval as the signed-in user; 403 for who is not an SLO approver. */
  approveDeploy(approval: NewDeployApproval): Promise<DeployApproval>;
}

export const sloApiRef = createApiRef<SloApi>({ id: 'plugin.slo.api' });

/** SloApi over fetchApi (which adds the user's token) and discoveryApi. */
export class SloClient extends BackendClient implements SloApi {
  constructor(options: BackendClientOptions) {
    super('slo', options);
  }

  getOverview(): Promise<SloOverview> {
    return this.request(SLO_ROUTES.overview);
  }

  getEntitySlos(entityRef: string): Promise<EntitySlos> {
    return this.request(SLO_ROUTES.entity(entityRef));
  }

  getBurnDown(key: string): Promise<BurnDown> {
    return this.request(SLO_ROUTES.burnDown(key));
  }

  getReview(week?: string): Promise<WeeklyReview> {
    return this.request(SLO_ROUTES.review(week && encodeURIComponent(week)));
  }

  addNote(week: string, note: NewReviewNote): Promise<ReviewNote> {
    const owner = note.owner?.trim();
    return this.request(SLO_ROUTES.reviewNotes(encodeURIComponent(week)), {
      method: 'POST',
      body: {
        sloKey: note.sloKey,
        kind: note.kind,
        text: note.text,
        ...(owner ? { owner } : {}),
        ...(note.kind === 'action' && note.due ? { due: note.due } : {}),
      },
    });
  }

  setNoteDone(week: string, id: string, done: boolean): Promise<ReviewNote> {
    return this.request(SLO_ROUTES.reviewNote(encodeURIComponent(week), id), {
      method: 'PATCH',
      body: { done },
    });
  }

  downloadReviewMarkdown(week: string, team?: string): Promise<Blob> {
    return this.download(
      SLO_ROUTES.reviewMarkdown(encodeURIComponent(week), team),
    );
  }

  downloadRules(entityRef: string): Promise<Blob> {
    return this.download(SLO_ROUTES.rules(entityRef));
  }

  signOff(week: string, team: string): Promise<ReviewSignOff> {
    return this.request(SLO_ROUTES.reviewSignOffs(encodeURIComponent(week)), {
      method: 'POST',
      body: { team },
    });
  }

  async getCorrections(sloKey: string): Promise<SloCorrection[]> {
    const answer = await this.request<{ corrections: SloCorrection[] }>(
      SLO_ROUTES.corrections(sloKey),
    );
    return answer.corrections;
  }

  addCorrection(correction: NewSloCorrection): Promise<SloCorrection> {
    return this.request(SLO_ROUTES.corrections(), {
      method: 'POST',
      body: correction,
    });
  }

  revokeCorrection(id: string): Promise<SloCorrection> {
    return this.request(SLO_ROUTES.correction(id), { method: 'DELETE' });
  }

  getDeployApprovals(
    componentRef: string,
    deployId?: string,
  ): Promise<DeployApprovals> {
    return this.request(SLO_DEPLOY_ROUTES.approvals(componentRef, deployId));
  }

  approveDeploy(approval: NewDeployApproval): Promise<DeployApproval> {
    return this.request(SLO_DEPLOY_ROUTES.newApproval, {
      method: 'POST',
      body: {
        componentRef: approval.componentRef,
        deployId: approval.deployId,
        reason: approval.reason,
        kind: approval.kind,
        ...(approval.commit ? { commit: approval.commit } : {}),
      },
    });
  }

  private async download(path: string): Promise<Blob> {
    const response = await this.fetchFile(`${await this.baseUrl()}${path}`);
    return response.blob();
  }
}

/** The API for both frontend systems: SloClient over the app's discoveryApi and fetchApi. */
export const sloApiFactory = backendClientFactory(
  sloApiRef,
  options => new SloClient(options),
);
