/* eslint-disable no-console */
import path from 'node:path';
import { DemoEstate } from './estate/DemoEstate';
import { startAwsLocal } from './server/AwsLocalServer';
import { faultsFromEnv } from './server/faults';

/**
 * `yarn workspace @internal/aws-local start`: serves the demo estate on loopback.
 * Environment: AWS_LOCAL_PORT (4599), AWS_LOCAL_HOST (127.0.0.1), AWS_LOCAL_SEED_FILE,
 * AWS_LOCAL_CATALOG_FILE, AWS_LOCAL_AS_OF (yyyy-MM-dd), AWS_LOCAL_EXTRA_PRODUCTS, AWS_LOCAL_DATA (the
 * repository's .data/aws-local: the CUR 2.0 export is written to its `exports` folder), and the faults
 * AWS_LOCAL_LATENCY_MS, AWS_LOCAL_THROTTLE_RATE, AWS_LOCAL_THROTTLE_OPERATIONS, AWS_LOCAL_DENY.
 */
async function main() {
  const env = process.env;
  const port = Number(env.AWS_LOCAL_PORT ?? 4599);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `AWS_LOCAL_PORT is '${env.AWS_LOCAL_PORT}'; use a port number such as 4599`,
    );
  }
  const extraProducts =
    env.AWS_LOCAL_EXTRA_PRODUCTS === undefined
      ? undefined
      : Number(env.AWS_LOCAL_EXTRA_PRODUCTS);
  if (
    extraProducts !== undefined &&
    (!Number.isInteger(extraProducts) || extraProducts < 0)
  ) {
    throw new Error(
      `AWS_LOCAL_EXTRA_PRODUCTS is '${env.AWS_LOCAL_EXTRA_PRODUCTS}'; use a whole number of synthetic products, e.g. 995`,
    );
  }
  const faults = faultsFromEnv(env);
  const estate = DemoEstate.load({
    seedFile: env.AWS_LOCAL_SEED_FILE,
    catalogFile: env.AWS_LOCAL_CATALOG_FILE,
    asOf: env.AWS_LOCAL_AS_OF,
    scale: extraProducts === undefined ? undefined : { extraProducts },
  });
  const dataDir =
    env.AWS_LOCAL_DATA ?? path.resolve(process.cwd(), '../../.data/aws-local');
  const server = await startAwsLocal({
    estate,
    port,
    host: env.AWS_LOCAL_HOST ?? '127.0.0.1',
    faults,
    curExport: { dir: path.join(dataDir, 'exports') },
  });
  const summary = estate.summary();
  console.log(
    `aws-local: serving ${server.endpoint} (${summary.accounts
      .map(a => `${a.name} ${a.id}`)
      .join(', ')}; ` +
      `${summary.products} products, ${summary.services} services, ${summary.resources} resources, ` +
      `cost ${summary.costWindow.start}..${summary.costWindow.end}, untagged ${summary.untaggedSharePercent}% of usage, ` +
      `inactive tags ${
        summary.inactiveCostAllocationTags.join(', ') || 'none'
      }, ` +
      `${summary.dr.deliberateGaps.length} deliberate DR gaps)`,
  );
  console.log(
    `aws-local: stats at ${server.endpoint}/_aws-local/stats, estate at ${server.endpoint}/_aws-local/estate`,
  );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const cur = await server.curExport();
  console.log(
    `aws-local: CUR 2.0 export (${cur.rows} lines, ${cur.periods[0]}..${
      cur.periods[cur.periods.length - 1]
    }) at ${
      cur.dataDir
    }, rewritten when the day moves on; Athena serves it as payments_cost.cur2`,
  );
}

main().catch(error => {
  console.error(`aws-local: ${error.message}`);
  process.exit(1);
});
