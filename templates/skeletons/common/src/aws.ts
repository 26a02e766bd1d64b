import { NodeHttpHandler } from '@smithy/node-http-handler';
import { positiveInteger } from './runtime.js';

/**
 * Every AWS SDK client of the service is built from this one configuration, so none waits
 * forever on a dependency: the SDK's default handler has no request timeout, and a half-open
 * connection would hold a request (and the pod's readiness) until the TCP keep-alive gives up.
 * Credentials and region come from the SDK's default chain (IRSA on EKS); AWS_ENDPOINT_URL
 * points every client at a local endpoint.
 */
export interface AwsClientSettings {
  region?: string;
  /** AWS_CONNECT_TIMEOUT_MS: time to open the TCP/TLS connection. */
  connectTimeoutMs: number;
  /** AWS_REQUEST_TIMEOUT_MS: time without a byte of the answer before the attempt fails. */
  requestTimeoutMs: number;
  /** AWS_MAX_ATTEMPTS: attempts per call, the first included (the SDK backs off between them). */
  maxAttempts: number;
}

export function loadAwsClientSettings(env: NodeJS.ProcessEnv = process.env): AwsClientSettings {
  return {
    region: env.AWS_REGION,
    connectTimeoutMs: positiveInteger(env, 'AWS_CONNECT_TIMEOUT_MS', 3000),
    requestTimeoutMs: positiveInteger(env, 'AWS_REQUEST_TIMEOUT_MS', 5000),
    maxAttempts: positiveInteger(env, 'AWS_MAX_ATTEMPTS', 3),
  };
}

/** What every client constructor takes: `new DynamoDBClient(awsClientConfig(settings))`. */
export interface AwsClientConfig {
  region?: string;
  maxAttempts: number;
  requestHandler: NodeHttpHandler;
}

/**
 * The client configuration for these settings. `overrides` for a client whose calls wait on
 * purpose: an SQS long poll of 20 s needs a request timeout above 20 s.
 */
export function awsClientConfig(settings: AwsClientSettings = loadAwsClientSettings(), overrides: Partial<AwsClientSettings> = {}): AwsClientConfig {
  const effective = { ...settings, ...overrides };
  return {
    ...(effective.region ? { region: effective.region } : {}),
    maxAttempts: effective.maxAttempts,
    // throwOnRequestTimeout: without it the handler only logs a warning and the call waits on.
    requestHandler: new NodeHttpHandler({ connectionTimeout: effective.connectTimeoutMs, requestTimeout: effective.requestTimeoutMs, throwOnRequestTimeout: true }),
  };
}
