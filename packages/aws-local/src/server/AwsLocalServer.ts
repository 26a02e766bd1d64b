import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DemoEstate, EstateOptions } from '../estate/DemoEstate';
import { hashString } from '../estate/random';
import { jsonError } from '../protocols/awsJson';
import { queryError } from '../protocols/awsQuery';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
  Principal,
  RawRequest,
  RawResponse,
} from '../protocols/types';
import {
  athenaService,
  ATHENA_CATALOG_STATE,
  closeAthena,
} from '../services/athena';
import {
  AthenaCatalog,
  DEFAULT_ATHENA_CATALOG,
} from '../services/athena/engine';
import { CUR_EXPORTER_STATE, CurExporter } from '../exports/CurExporter';
import type { CurExportResult } from '../exports/curExport';
import { backupService } from '../services/backup';
import { cloudWatchService } from '../services/cloudwatch';
import { configService } from '../services/config';
import { costExplorerService } from '../services/costExplorer';
import { dynamoDbService } from '../services/dynamodb';
import { elastiCacheService } from '../services/elasticache';
import { kmsService } from '../services/kms';
import { rdsService } from '../services/rds';
import { route53Service } from '../services/route53';
import { s3Service } from '../services/s3';
import { secretsManagerService } from '../services/secretsManager';
import { sqsService } from '../services/sqs';
import { stsService } from '../services/sts';
import { taggingService } from '../services/tagging';
import { CallStats, CallStatsSnapshot } from './stats';
import {
  FaultInjector,
  FaultPatch,
  FaultSettings,
  FaultSettingsError,
  NO_FAULTS,
  mergeFaults,
} from './faults';
import { parseSigV4 } from './signature';

export const ADMIN_PREFIX = '/_aws-local';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface AwsLocalOptions extends EstateOptions {
  /** Loopback by default; the endpoint has no real authentication. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  faults?: Partial<FaultSettings>;
  /** A prebuilt estate (tests and benchmarks share one between servers). */
  estate?: DemoEstate;
  /**
   * The server's clock (the real one by default): Backup listings, DynamoDB CreationDateTime,
   * SQS visibility, delays and retention, STS expirations and the stats' `since` all read it.
   */
  now?: () => Date;
  /**
   * The estate's bill as a CUR 2.0 Data Export (Parquet), which Athena queries. With `dir`, written
   * there at start and again when the estate's day moves on (checked every `refreshMs`, default a
   * minute, and before each Athena query); without, written to a temporary folder on first use.
   */
  curExport?: {
    dir?: string;
    exportName?: string;
    refreshMs?: number;
    /** Only the latest this many billing periods (default: all of Cost Explorer's window). */
    months?: number;
  };
  /** The Glue database and table Athena serves the export as (default payments_cost.cur2). */
  athena?: Partial<AthenaCatalog>;
}

export interface AwsLocal {
  /** The URL to give SDK clients as `endpoint` (or AWS_ENDPOINT_URL). */
  endpoint: string;
  port: number;
  estate: DemoEstate;
  stats(): CallStatsSnapshot;
  resetStats(): void;
  /** The CUR export as of now (written, or rewritten, first if the bill moved on). */
  curExport(): Promise<CurExportResult>;
  faults(): FaultSettings;
  setFaults(patch: FaultPatch): FaultSettings;
  close(): Promise<void>;
}

/** Every service the endpoint speaks, by SigV4 signing name. */
export const SERVICES: AwsServiceDefinition[] = [
  costExplorerService,
  taggingService,
  stsService,
  rdsService,
  elastiCacheService,
  dynamoDbService,
  backupService,
  s3Service,
  route53Service,
  kmsService,
  secretsManagerService,
  sqsService,
  cloudWatchService,
  configService,
  athenaService,
];

interface Session {
  accountId: string;
  roleName: string;
  sessionName: string;
}

/** Starts the loopback AWS endpoint over the demo estate. */
export async function startAwsLocal(
  options: AwsLocalOptions = {},
): Promise<AwsLocal> {
  const estate = options.estate ?? DemoEstate.load(options);
  const now = options.now ?? (() => new Date());
  const stats = new CallStats(now);
  const injector = new FaultInjector(
    { ...NO_FAULTS, ...options.faults },
    hashString(`${estate.seed.seed}:faults`),
  );
  const services = new Map(SERVICES.map(s => [s.signingName, s]));
  const sessions = new Map<string, Session>();
  // What services create at run time (SQS queues, DynamoDB tables): this server's, not the estate's.
  const serviceState = new Map<string, unknown>();
  const state = <T>(key: string, create: () => T): T => {
    if (!serviceState.has(key)) serviceState.set(key, create());
    return serviceState.get(key) as T;
  };
  const exporter = new CurExporter({
    estate,
    view: {
      estate,
      state,
      get now() {
        return now();
      },
    },
    dir: options.curExport?.dir,
    exportName: options.curExport?.exportName,
    months: options.curExport?.months,
  });
  state(CUR_EXPORTER_STATE, () => exporter);
  state(ATHENA_CATALOG_STATE, () => ({
    ...DEFAULT_ATHENA_CATALOG,
    ...options.athena,
  }));
  if (options.curExport?.dir) {
    // Written in the background: Athena queries (and curExport()) wait for it.
    exporter.current().catch(error =>
      // eslint-disable-next-line no-console
      console.error(
        `aws-local: writing the CUR export failed: ${error.message}`,
      ),
    );
    exporter.watch(options.curExport.refreshMs ?? 60_000, error =>
      // eslint-disable-next-line no-console
      console.error(
        `aws-local: rewriting the CUR export failed: ${error.message}`,
      ),
    );
  }
  // Aborted by close(): long polls still waiting answer at once.
  const closing = new AbortController();

  const principalFor = (accessKeyId: string): Principal => {
    const session = sessions.get(accessKeyId);
    if (session) {
      return {
        accountId: session.accountId,
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        userId: `AROA${hashString(session.roleName)
          .toString(16)
          .toUpperCase()
          .padStart(8, '0')}:${session.sessionName}`,
      };
    }
    // Temporary keys issued before a restart still name their account: ASIA + account id + suffix.
    const temporary = /^ASIA(\d{12})/.exec(accessKeyId);
    if (temporary && estate.accountById(temporary[1])) {
      return {
        accountId: temporary[1],
        arn: `arn:aws:sts::${temporary[1]}:assumed-role/unknown/unknown`,
        userId: accessKeyId,
      };
    }
    // Any other static credentials act as a user of the management account.
    const management = estate.managementAccount;
    return {
      accountId: management.id,
      arn: `arn:aws:iam::${management.id}:user/portal-local`,
      userId: accessKeyId,
    };
  };

  const assumeRole: CallContext['assumeRole'] = (
    accountId,
    roleName,
    sessionName,
    durationSeconds,
  ) => {
    const account = estate.accountById(accountId);
    if (!account || injector.isDenied(account, '*')) {
      throw new AwsError(
        'AccessDenied',
        `Not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${accountId}:role/${roleName}`,
        403,
      );
    }
    const accessKeyId = `ASIA${accountId}${randomBytes(2)
      .toString('hex')
      .toUpperCase()}`;
    sessions.set(accessKeyId, { accountId, roleName, sessionName });
    return {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(60).toString('base64'),
      expiration: new Date(now().getTime() + durationSeconds * 1000),
      assumedRoleId: `AROA${hashString(roleName)
        .toString(16)
        .toUpperCase()
        .padStart(8, '0')}:${sessionName}`,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    };
  };

  // Error shape for a request no service has claimed yet: JSON if it looks like JSON, else awsQuery XML.
  const genericError = (
    request: RawRequest,
    error: AwsError,
    requestId: string,
  ): RawResponse =>
    request.headers['x-amz-target']
      ? jsonError('application/x-amz-json-1.1', error, requestId)
      : queryError('https://aws-local.invalid/doc/', error, requestId);

  const handleAws = async (
    request: RawRequest,
    signal: AbortSignal,
  ): Promise<RawResponse> => {
    const requestId = randomUUID();
    const credential = parseSigV4(
      request.headers.authorization as string | undefined,
    );
    if ('problem' in credential) {
      stats.recordRejectedUnsigned();
      const jsonStyle = Boolean(request.headers['x-amz-target']);
      const error =
        credential.problem === 'missing'
          ? new AwsError(
              jsonStyle
                ? 'MissingAuthenticationTokenException'
                : 'MissingAuthenticationToken',
              'Request is missing Authentication Token',
              403,
            )
          : new AwsError(
              jsonStyle
                ? 'IncompleteSignatureException'
                : 'IncompleteSignature',
              "Authorization header requires 'Credential', 'SignedHeaders' (including host) and 'Signature' in AWS4-HMAC-SHA256 form",
              400,
            );
      return genericError(request, error, requestId);
    }
    const service = services.get(credential.service);
    if (!service) {
      const error = new AwsError(
        request.headers['x-amz-target']
          ? 'UnknownOperationException'
          : 'InvalidAction',
        `aws-local does not serve the '${
          credential.service
        }' service; it serves ${[...services.keys()].join(', ')}`,
      );
      return genericError(request, error, requestId);
    }
    const { protocol } = service;
    let operationName = 'unknown';
    try {
      const { operation, input } = protocol.decode(request);
      operationName = operation;
      const handler = Object.prototype.hasOwnProperty.call(
        service.operations,
        operation,
      )
        ? service.operations[operation]
        : undefined;
      const statsKey = `${service.statsPrefix}:${
        handler ? operation : 'unknown'
      }`;
      const delay = injector.latency();
      if (delay > 0) await new Promise(resolve => setTimeout(resolve, delay));
      if (!handler) {
        stats.record(statsKey, 'failed');
        throw new AwsError(
          protocol.unknownOperationCode,
          `Operation ${operation} is not supported by aws-local's ${service.statsPrefix} service`,
          protocol.unknownOperationStatus ?? 400,
        );
      }
      const principal = principalFor(credential.accessKeyId);
      const account = estate.accountById(principal.accountId)!;
      if (injector.isDenied(account, credential.region)) {
        stats.record(statsKey, 'accessDenied');
        throw new AwsError(
          protocol.accessDenied.code,
          `User: ${principal.arn} is not authorized to perform: ${service.statsPrefix}:${operation} in ${credential.region}`,
          protocol.accessDenied.status,
        );
      }
      if (injector.shouldThrottle(statsKey)) {
        stats.record(statsKey, 'throttled');
        throw new AwsError(
          protocol.throttling.code,
          'Rate exceeded',
          protocol.throttling.status,
        );
      }
      try {
        const host = String(
          request.headers.host ?? options.host ?? '127.0.0.1',
        );
        const context: CallContext = {
          estate,
          account,
          region: credential.region,
          principal,
          requestId,
          now: now(),
          clock: now,
          host,
          signal,
          state,
          assumeRole,
        };
        const output = await handler(input, context);
        stats.record(statsKey, 'succeeded');
        return protocol.encode(operation, output, requestId);
      } catch (error) {
        stats.record(
          statsKey,
          error instanceof AwsError && error.code === protocol.accessDenied.code
            ? 'accessDenied'
            : 'failed',
        );
        throw error;
      }
    } catch (error) {
      if (error instanceof AwsError)
        return protocol.encodeError(error, requestId);
      const internal = new AwsError(
        'InternalFailure',
        `aws-local failed on ${operationName}: ${(error as Error).message}`,
        500,
        'Receiver',
      );
      return protocol.encodeError(internal, requestId);
    }
  };

  const handleAdmin = (request: RawRequest): RawResponse => {
    const json = (status: number, body: unknown): RawResponse => ({
      status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body, null, 2),
    });
    const route = `${request.method} ${
      request.path.slice(ADMIN_PREFIX.length) || '/'
    }`;
    switch (route) {
      case 'GET /health':
        return json(200, { status: 'ok', services: [...services.keys()] });
      case 'GET /stats':
        return json(200, stats.snapshot());
      case 'POST /stats/reset':
        stats.reset();
        return json(200, stats.snapshot());
      case 'GET /estate':
        return json(200, estate.summary());
      case 'GET /faults':
        return json(200, injector.settings);
      case 'PUT /faults':
      case 'POST /faults': {
        try {
          const text = request.body.toString('utf8');
          let patch: unknown;
          try {
            patch = JSON.parse(text || '{}');
          } catch {
            throw new FaultSettingsError('body', 'is not valid JSON');
          }
          injector.settings = mergeFaults(injector.settings, patch);
          return json(200, injector.settings);
        } catch (error) {
          return json(400, { error: (error as Error).message });
        }
      }
      default:
        return json(404, {
          error: `No admin route ${route}; use GET ${ADMIN_PREFIX}/health, /stats, /estate, /faults, POST /stats/reset, PUT /faults`,
        });
    }
  };

  const server = http.createServer((req, res) => {
    // Ends a long poll when the caller hangs up or the server closes.
    const hangUp = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) hangUp.abort();
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://aws-local');
      const request: RawRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      let response: RawResponse;
      if (size > MAX_BODY_BYTES) {
        response = genericError(
          request,
          new AwsError(
            'RequestEntityTooLarge',
            `Request body exceeds ${MAX_BODY_BYTES} bytes`,
            413,
          ),
          randomUUID(),
        );
      } else if (
        request.path === ADMIN_PREFIX ||
        request.path.startsWith(`${ADMIN_PREFIX}/`)
      ) {
        response = handleAdmin(request);
      } else {
        response = await handleAws(
          request,
          AbortSignal.any([hangUp.signal, closing.signal]),
        );
      }
      if (res.destroyed) return;
      res.writeHead(response.status, {
        ...response.headers,
        'content-length': Buffer.byteLength(response.body),
      });
      res.end(response.body);
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    endpoint: `http://${host}:${address.port}`,
    port: address.port,
    estate,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    curExport: () => exporter.current(),
    faults: () => injector.settings,
    setFaults: patch =>
      (injector.settings = mergeFaults(injector.settings, patch)),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close(error => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await closeAthena(state);
      await exporter.close();
    },
  };
}
