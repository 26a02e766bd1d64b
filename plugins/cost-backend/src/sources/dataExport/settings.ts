import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { AthenaSettings } from './engines';
import { ExportFormat, SCHEMAS } from './schema';

/** Where cost comes from (`cost.source`): Cost Explorer's API, or a CUR 2.0 / FOCUS data export. */
export type CostSourceKind = 'costExplorer' | 'dataExport';

export interface DataExportSettings {
  format: ExportFormat;
  engine: 'duckdb' | 'athena';
  /** duckdb: the local folder holding the export's Parquet files. */
  path?: string;
  athena?: AthenaSettings & { region?: string };
}

function fail(key: string, problem: string): never {
  throw new InputError(`Invalid config ${key}: ${problem}`);
}

function oneOf<T extends string>(
  config: Config,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = config.getOptionalString(key) ?? fallback;
  if (!allowed.includes(value as T))
    fail(key, `'${value}' is not valid; use ${allowed.join(' or ')}`);
  return value as T;
}

function required(config: Config, key: string, example: string): string {
  const value = config.getOptionalString(key);
  if (!value?.trim()) fail(key, `is required, e.g. ${example}`);
  return value;
}

/** `cost.source`; `costExplorer` unless set. */
export function readCostSourceKind(config: Config): CostSourceKind {
  return oneOf(
    config,
    'cost.source',
    ['costExplorer', 'dataExport'],
    'costExplorer',
  );
}

/**
 * `cost.dataExport`, read when `cost.source` is `dataExport`; every problem names the key and the
 * fix. `metric` is `cost.metric`: an export format without that figure is refused here, not at the
 * first refresh.
 */
export function readDataExportSettings(
  config: Config,
  metric: string,
): DataExportSettings {
  if (!config.has('cost.dataExport'))
    fail(
      'cost.dataExport',
      'is required when cost.source is dataExport: give format (cur2), engine (duckdb or athena) and path (duckdb) or athena { database, table, workGroup }',
    );
  const format = oneOf(
    config,
    'cost.dataExport.format',
    ['cur2', 'focus1'],
    'cur2',
  );
  const engine = oneOf(
    config,
    'cost.dataExport.engine',
    ['duckdb', 'athena'],
    'duckdb',
  );
  if (!SCHEMAS[format].amount(metric))
    fail(
      'cost.metric',
      `${metric} cannot be read from a ${format} export; use ${[
        'AmortizedCost',
        'UnblendedCost',
        'BlendedCost',
        'NetUnblendedCost',
      ]
        .filter(m => SCHEMAS[format].amount(m))
        .join(', ')} (or cost.source: costExplorer)`,
    );
  if (engine === 'duckdb') {
    const path = required(
      config,
      'cost.dataExport.path',
      '.data/aws-local/exports (the local folder the export is copied to)',
    );
    if (config.has('cost.dataExport.athena'))
      fail(
        'cost.dataExport.athena',
        'is only read with engine: athena; remove it or set cost.dataExport.engine: athena',
      );
    return { format, engine, path };
  }
  const key = 'cost.dataExport.athena';
  if (!config.has(key))
    fail(
      key,
      'is required with engine: athena: give database, table and workGroup (and outputLocation unless the workgroup sets one)',
    );
  const database = required(config, `${key}.database`, 'payments_cost');
  const table = required(config, `${key}.table`, 'cur2');
  for (const [field, value] of [
    ['database', database],
    ['table', table],
  ])
    if (!/^[A-Za-z0-9_]+$/.test(value))
      fail(
        `${key}.${field}`,
        `'${value}' is not a Glue ${field} name; use letters, digits and '_' only`,
      );
  const workGroup = required(config, `${key}.workGroup`, 'cost-portal');
  const outputLocation = config.getOptionalString(`${key}.outputLocation`);
  if (outputLocation !== undefined && !/^s3:\/\/[^/]+/.test(outputLocation))
    fail(
      `${key}.outputLocation`,
      `'${outputLocation}' must be an s3:// URI, e.g. s3://cost-athena-results-123456789012/portal/`,
    );
  const region = config.getOptionalString(`${key}.region`);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    fail(`${key}.region`, `'${region}' is not an AWS region, e.g. eu-west-2`);
  if (config.has('cost.dataExport.path'))
    fail(
      'cost.dataExport.path',
      'is only read with engine: duckdb; remove it (Athena reads the export from its Glue table)',
    );
  return {
    format,
    engine,
    athena: {
      database,
      table,
      workGroup,
      outputLocation,
      region,
      catalog: config.getOptionalString(`${key}.catalog`),
    },
  };
}
