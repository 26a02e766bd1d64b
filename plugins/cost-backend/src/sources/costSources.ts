import { AthenaClient } from '@aws-sdk/client-athena';
import type { Config } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import path from 'node:path';
import type { CostSource } from '../service/types';
import { CostExplorerSource } from './CostExplorerSource';
import { DataExportSource } from './DataExportSource';
import { AthenaEngine, DuckDbEngine, QueryEngine } from './dataExport/engines';
import { SCHEMAS } from './dataExport/schema';
import {
  readCostSourceKind,
  readDataExportSettings,
} from './dataExport/settings';

export interface CostSources {
  sources: CostSource[];
  /** For the start-up log line, e.g. "CUR 2.0 export through Athena". */
  description: string;
  close(): Promise<void>;
}

/**
 * The cost sources `cost.source` asks for: Cost Explorer per configured scope (the default), or a
 * data export read through DuckDB or Athena, with Cost Explorer for the same scopes kept for what
 * exports do not carry (forecast, anomalies, cost allocation tag status).
 */
export async function costSourcesFromConfig(
  config: Config,
  metric: string,
): Promise<CostSources> {
  const kind = readCostSourceKind(config);
  const explorer = await CostExplorerSource.fromConfig(config);
  if (kind === 'costExplorer')
    return {
      sources: explorer,
      description: 'Cost Explorer',
      close: async () => {},
    };
  const settings = readDataExportSettings(config, metric);
  let engine: QueryEngine;
  if (settings.engine === 'duckdb') {
    engine = new DuckDbEngine(path.resolve(settings.path!));
  } else {
    const athena = settings.athena!;
    const { sdkCredentialProvider } =
      await DefaultAwsCredentialsManager.fromConfig(
        config,
      ).getCredentialProvider();
    engine = new AthenaEngine(
      new AthenaClient({
        region:
          athena.region ??
          config.getOptionalString('cost.region') ??
          'us-east-1',
        maxAttempts: config.getOptionalNumber('cost.maxAttempts') ?? 5,
        credentials: sdkCredentialProvider,
      }),
      athena,
    );
  }
  const schema = SCHEMAS[settings.format];
  return {
    sources: explorer.map(
      ce => new DataExportSource(ce.scope, engine, schema, ce),
    ),
    description: `${
      settings.format === 'cur2' ? 'CUR 2.0' : 'FOCUS 1.x'
    } export through ${engine.name}`,
    close: async () => engine.close?.(),
  };
}
