import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';

/** One account x region the scan reads, with the credentials for that account. */
export interface ScanScope {
  accountId: string;
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** What every SDK client of the collector is configured with. */
export interface ClientSettings {
  /** SDK attempts per call (retries with backoff on throttling and 5xx). */
  maxAttempts: number;
  /** An endpoint for every client (tests and benchmarks); unset: the SDK's own settings apply. */
  endpoint?: string;
}

/** One SDK client per account x region, kept across scans (connections are reused). */
export class ClientPool<C> {
  private readonly clients = new Map<string, C>();

  constructor(private readonly create: (scope: ScanScope) => C) {}

  for(scope: ScanScope): C {
    const key = `${scope.accountId}:${scope.region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(scope);
      this.clients.set(key, client);
    }
    return client;
  }
}

/** Where Route 53 publishes its health checks' metrics (CloudWatch namespace `AWS/Route53`). */
export const ROUTE53_METRICS_REGION = 'us-east-1';

/** The SDK clients the collector uses, one pool per AWS service. */
export function awsClients(settings: ClientSettings) {
  const config = (scope: ScanScope) => ({
    region: scope.region,
    credentials: scope.credentials,
    maxAttempts: settings.maxAttempts,
    endpoint: settings.endpoint,
  });
  /** Path-style S3 addressing only against an endpoint override (an IP:port has no bucket subdomains). */
  const s3PathStyle = () =>
    Boolean(
      settings.endpoint ??
        process.env.AWS_ENDPOINT_URL_S3 ??
        process.env.AWS_ENDPOINT_URL,
    );
  return {
    tagging: new ClientPool(
      scope => new ResourceGroupsTaggingAPIClient(config(scope)),
    ),
    rds: new ClientPool(scope => new RDSClient(config(scope))),
    elasticache: new ClientPool(scope => new ElastiCacheClient(config(scope))),
    dynamodb: new ClientPool(scope => new DynamoDBClient(config(scope))),
    s3: new ClientPool(
      scope =>
        new S3Client({ ...config(scope), forcePathStyle: s3PathStyle() }),
    ),
    kms: new ClientPool(scope => new KMSClient(config(scope))),
    secretsManager: new ClientPool(
      scope => new SecretsManagerClient(config(scope)),
    ),
    backup: new ClientPool(scope => new BackupClient(config(scope))),
    route53: new ClientPool(scope => new Route53Client(config(scope))),
    cloudwatch: new ClientPool(scope => new CloudWatchClient(config(scope))),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;
