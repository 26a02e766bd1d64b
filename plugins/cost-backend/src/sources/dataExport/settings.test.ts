import { ConfigReader } from '@backstage/config';
import { readCostSourceKind, readDataExportSettings } from './settings';

const read = (cost: object, metric = 'AmortizedCost') =>
  readDataExportSettings(new ConfigReader({ cost }), metric);

describe('cost.source and cost.dataExport', () => {
  it('defaults to Cost Explorer and refuses an unknown source, naming the choices', () => {
    expect(readCostSourceKind(new ConfigReader({}))).toBe('costExplorer');
    expect(() =>
      readCostSourceKind(new ConfigReader({ cost: { source: 'cur' } })),
    ).toThrow(
      "Invalid config cost.source: 'cur' is not valid; use costExplorer or dataExport",
    );
  });

  it('reads a local DuckDB export (CUR 2.0 by default)', () => {
    expect(read({ dataExport: { path: '.data/aws-local/exports' } })).toEqual({
      format: 'cur2',
      engine: 'duckdb',
      path: '.data/aws-local/exports',
    });
  });

  it('reads an Athena table and names each missing or malformed field with its fix', () => {
    const athena = {
      database: 'payments_cost',
      table: 'cur2',
      workGroup: 'cost-portal',
      outputLocation: 's3://cost-athena-results-123456789012/portal/',
      region: 'eu-west-2',
    };
    expect(read({ dataExport: { engine: 'athena', athena } })).toEqual({
      format: 'cur2',
      engine: 'athena',
      athena: { ...athena, catalog: undefined },
    });
    expect(() => read({ dataExport: { engine: 'athena' } })).toThrow(
      /Invalid config cost.dataExport.athena: is required with engine: athena/,
    );
    expect(() =>
      read({
        dataExport: {
          engine: 'athena',
          athena: { ...athena, workGroup: undefined },
        },
      }),
    ).toThrow(
      /cost.dataExport.athena.workGroup: is required, e.g. cost-portal/,
    );
    expect(() =>
      read({
        dataExport: {
          engine: 'athena',
          athena: { ...athena, outputLocation: 'cost-results/' },
        },
      }),
    ).toThrow(
      /cost.dataExport.athena.outputLocation: 'cost-results\/' must be an s3:\/\/ URI/,
    );
    expect(() =>
      read({
        dataExport: {
          engine: 'athena',
          athena: { ...athena, table: 'cur-2' },
        },
      }),
    ).toThrow(/cost.dataExport.athena.table: 'cur-2' is not a Glue table name/);
  });

  it('refuses what the chosen engine or format cannot use', () => {
    expect(() => read({ source: 'dataExport' })).toThrow(
      /Invalid config cost.dataExport: is required when cost.source is dataExport/,
    );
    expect(() => read({ dataExport: {} })).toThrow(
      /cost.dataExport.path: is required/,
    );
    expect(() => read({ dataExport: { engine: 'spark' } })).toThrow(
      "Invalid config cost.dataExport.engine: 'spark' is not valid; use duckdb or athena",
    );
    expect(() =>
      read({ dataExport: { path: 'x', format: 'focus1' } }, 'BlendedCost'),
    ).toThrow(
      /cost.metric: BlendedCost cannot be read from a focus1 export; use AmortizedCost, UnblendedCost/,
    );
    expect(() =>
      read({ dataExport: { path: 'x' } }, 'NetAmortizedCost'),
    ).toThrow(
      /cost.metric: NetAmortizedCost cannot be read from a cur2 export/,
    );
  });
});
