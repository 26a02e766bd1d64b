import { AwsError, RawRequest, RawResponse, WireProtocol } from './types';

/** What a service that moved from awsQuery to JSON keeps of awsQuery (SQS). */
export interface AwsQueryCompatibility {
  /** The Smithy namespace of its error shapes: `__type` is `<namespace>#<shape>`. */
  namespace: string;
  /** The awsQuery error code of a shape whose code differs from its name (`QueueDoesNotExist` -> `AWS.SimpleQueueService.NonExistentQueue`). */
  queryCodes: Record<string, string>;
}

export interface AwsJsonOptions {
  throttling?: { code: string; status: number };
  accessDenied?: { code: string; status: number };
  /**
   * An `awsQueryCompatible` service: clients send `x-amzn-query-mode: true`, and errors also carry
   * `x-amzn-query-error: <awsQuery code>;<Sender|Receiver>`, the code the SDK maps first (through
   * the shapes' `awsQueryError` trait) to its exception class.
   */
  queryCompatible?: AwsQueryCompatibility;
}

/**
 * awsJson1_0 / awsJson1_1: POST / with `X-Amz-Target: <prefix>.<Operation>` and a JSON body;
 * errors carry `__type` and `x-amzn-ErrorType`.
 */
export function awsJsonProtocol(
  version: '1.0' | '1.1',
  targetPrefix: string,
  options: AwsJsonOptions = {},
): WireProtocol {
  const contentType = `application/x-amz-json-${version}`;
  const { queryCompatible } = options;
  return {
    name: `awsJson${version.replace('.', '_')}`,
    throttling: options.throttling ?? {
      code: 'ThrottlingException',
      status: 400,
    },
    accessDenied: options.accessDenied ?? {
      code: 'AccessDeniedException',
      status: 400,
    },
    unknownOperationCode: 'UnknownOperationException',
    decode(request: RawRequest) {
      const target = String(request.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      if (
        request.method !== 'POST' ||
        dot < 0 ||
        target.slice(0, dot) !== targetPrefix
      ) {
        throw new AwsError(
          'UnknownOperationException',
          `No operation for target '${target}'; expected '${targetPrefix}.<Operation>'`,
        );
      }
      const text = request.body.toString('utf8');
      let input: unknown = {};
      if (text.trim() !== '') {
        try {
          input = JSON.parse(text);
        } catch {
          throw new AwsError(
            'SerializationException',
            'The request body is not valid JSON',
          );
        }
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new AwsError(
          'SerializationException',
          'The request body must be a JSON object',
        );
      }
      return { operation: target.slice(dot + 1), input };
    },
    encode(
      _operation: string,
      output: unknown,
      requestId: string,
    ): RawResponse {
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
        body: JSON.stringify(output ?? {}, epochSeconds),
      };
    },
    encodeError(error: AwsError, requestId: string): RawResponse {
      if (!queryCompatible) return jsonError(contentType, error, requestId);
      const response = jsonError(contentType, error, requestId);
      const queryCode = queryCompatible.queryCodes[error.code] ?? error.code;
      return {
        ...response,
        headers: {
          ...response.headers,
          'x-amzn-query-error': `${queryCode};${error.fault}`,
        },
        body: JSON.stringify({
          __type: `${queryCompatible.namespace}#${error.code}`,
          message: error.message,
          ...error.extra.members,
        }),
      };
    },
  };
}

/** JSON.stringify replacer: AWS JSON protocols send timestamps as epoch seconds. */
export function epochSeconds(
  this: unknown,
  key: string,
  value: unknown,
): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}

export function jsonError(
  contentType: string,
  error: AwsError,
  requestId: string,
): RawResponse {
  return {
    status: error.status,
    headers: {
      'content-type': contentType,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': error.code,
    },
    body: JSON.stringify({
      __type: error.code,
      message: error.message,
      ...error.extra.members,
    }),
  };
}
