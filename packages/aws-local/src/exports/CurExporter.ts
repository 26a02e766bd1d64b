import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DemoEstate } from '../estate/DemoEstate';
import {
  costAllocationTags,
  visibilityKey,
} from '../services/costExplorer/costAllocationTags';
import { costCategoryNames } from '../services/costExplorer/costCategories';
import type { CallContext } from '../protocols/types';
import {
  CurExportResult,
  CurExportView,
  DEFAULT_CUR_EXPORT_NAME,
  writeCurExport,
} from './curExport';

/** State key under which a server keeps its exporter (the Athena service reads it). */
export const CUR_EXPORTER_STATE = 'cur:exporter';

/**
 * One server's CUR export: written where the server was told (or, on first use, in a temporary
 * folder it removes on close), and written again whenever what its Cost Explorer serves has moved
 * on: the estate's day, tag activations and backfills, cost categories.
 */
export class CurExporter {
  private written?: { fingerprint: string; result: CurExportResult };
  private pending?: Promise<CurExportResult>;
  private temporary?: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly options: {
      estate: DemoEstate;
      /** The server's state and clock (what its Cost Explorer reads). */
      view: CurExportView;
      dir?: string;
      exportName?: string;
      /** Only the latest this many billing periods (see writeCurExport). */
      months?: number;
    },
  ) {}

  get exportName(): string {
    return this.options.exportName ?? DEFAULT_CUR_EXPORT_NAME;
  }

  /** Where the export is (or will be) written; undefined until a temporary folder is made. */
  get dir(): string | undefined {
    return this.options.dir ?? this.temporary;
  }

  private fingerprint(): string {
    const ctx = this.options.view as CallContext;
    return [
      this.options.estate.asOfDay,
      visibilityKey(costAllocationTags(ctx)),
      costCategoryNames(ctx).join(','),
    ].join('|');
  }

  /** The export as of now: rewritten first when the estate's bill has changed since the last write. */
  async current(): Promise<CurExportResult> {
    while (this.pending) await this.pending.catch(() => undefined);
    const fingerprint = this.fingerprint();
    if (this.written?.fingerprint === fingerprint) return this.written.result;
    if (!this.options.dir && !this.temporary)
      this.temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-local-cur-'));
    this.pending = writeCurExport(
      this.options.estate,
      {
        dir: this.dir!,
        exportName: this.options.exportName,
        months: this.options.months,
      },
      this.options.view,
    );
    try {
      const result = await this.pending;
      this.written = { fingerprint, result };
      return result;
    } finally {
      this.pending = undefined;
    }
  }

  /** Checks every `intervalMs` whether the day moved on, and rewrites the export if so. */
  watch(intervalMs: number, onError: (error: Error) => void) {
    this.timer = setInterval(() => {
      this.current().catch(onError);
    }, intervalMs);
    this.timer.unref();
  }

  async close() {
    if (this.timer) clearInterval(this.timer);
    await this.pending?.catch(() => undefined);
    if (this.temporary)
      fs.rmSync(this.temporary, { recursive: true, force: true });
  }
}
