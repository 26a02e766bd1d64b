import type { DemoEstate } from '../estate/DemoEstate';
import type { DemoAccount } from '../estate/seed';

/** An error AWS itself would return: the code the SDK maps to an exception name, and the HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
    /**
     * Extra response headers (S3's x-amz-bucket-region), XML error fields (S3's BucketName) and
     * JSON error members (DynamoDB's `Item` of a failed condition).
     */
    readonly extra: {
      headers?: Record<string, string>;
      fields?: Record<string, string>;
      members?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = code;
  }
}

export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The caller, as the signature's access key and scope identify it. */
export interface Principal {
  accountId: string;
  arn: string;
  userId: string;
}

export interface CallContext {
  estate: DemoEstate;
  account: DemoAccount;
  region: string;
  principal: Principal;
  requestId: string;
  /** The server's clock when the request arrived: what every listing relative to "now" uses. */
  now: Date;
  /** The server's clock, read again during a call that waits (SQS long polls). */
  clock: () => Date;
  /** The Host header the request came to (SQS queue URLs name it). */
  host: string;
  /** Aborted when the caller hangs up or the server closes: long polls end on it. */
  signal: AbortSignal;
  /**
   * State a service keeps for one server instance (SQS queues, tables made by CreateTable),
   * created on first use: the estate itself is read-only and may be shared between servers.
   */
  state<T>(key: string, create: () => T): T;
  /** Issues temporary credentials into an account (STS AssumeRole); throws AwsError when denied. */
  assumeRole(
    accountId: string,
    roleName: string,
    sessionName: string,
    durationSeconds: number,
  ): {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiration: Date;
    assumedRoleId: string;
    arn: string;
  };
}

export type Operation = (input: any, ctx: CallContext) => unknown;

/** How one AWS wire protocol reads requests and writes responses and errors. */
export interface WireProtocol {
  name: string;
  throttling: { code: string; status: number };
  accessDenied: { code: string; status: number };
  unknownOperationCode: string;
  /** HTTP status of the unknown-operation error (400 unless the protocol says otherwise). */
  unknownOperationStatus?: number;
  /** Reads the operation name and its input; throws AwsError for requests AWS would reject. */
  decode(request: RawRequest): { operation: string; input: unknown };
  encode(operation: string, output: unknown, requestId: string): RawResponse;
  encodeError(error: AwsError, requestId: string): RawResponse;
}

/** One AWS service the endpoint speaks: its signing name, protocol and operations. */
export interface AwsServiceDefinition {
  /** The SigV4 signing name in the credential scope (`ce`, `tagging`, `sts`, `rds`, `s3`, ...). */
  signingName: string;
  /** Prefix of its operations in the stats (`ce:GetCostAndUsage`). */
  statsPrefix: string;
  protocol: WireProtocol;
  operations: Record<string, Operation>;
}
