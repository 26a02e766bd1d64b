import type { SloOverview } from '@internal/slo-common';
import type { JsonView } from '@internal/platform-node';
import type { SloContext } from './context';

/** The dashboard: every SLO's latest status, from the latest stored evaluation. */
export class OverviewReader {
  constructor(private readonly context: Pick<SloContext, 'latest'>) {}

  /** The overview, with its JSON body for the API; shared by the requests of one data version. */
  async overviewView(): Promise<JsonView<SloOverview>> {
    return (await this.context.latest.view()).overview;
  }

  /** Every SLO's latest status, its definition problems and the last evaluation (read-only: shared). */
  async overview(): Promise<SloOverview> {
    return (await this.overviewView()).value;
  }
}
