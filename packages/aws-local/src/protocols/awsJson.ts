import { AwsError, RawRequest, RawResponse, WireProtocol } from './types';

/**
 * awsJson1_0 / awsJson1_1: POST / with `X-Amz-Target: <prefix>.<Operation>` and a JSON body;
 * errors carry `__type` and `x-amzn-ErrorType`.
 */
export function awsJsonProtocol(version: '1.0' | '1.1', targetPrefix: string): WireProtocol {
  const contentType = `application/x-amz-json-${version}`;
  return {
    name: `awsJson${version.replace('.', '_')}`,
    throttling: { code: 'ThrottlingException', status: 400 },
    accessDenied: { code: 'AccessDeniedException', status: 400 },
    unknownOperationCode: 'UnknownOperationException',
    decode(request: RawRequest) {
      const target = String(request.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      if (request.method !== 'POST' || dot < 0 || target.slice(0, dot) !== targetPrefix) {
        throw new AwsError('UnknownOperationException', `No operation for target '${target}'; expected '${targetPrefix}.<Operation>'`);
      }
      const text = request.body.toString('utf8');
      let input: unknown = {};
      if (text.trim() !== '') {
        try {
          input = JSON.parse(text);
        } catch {
          throw new AwsError('SerializationException', 'The request body is not valid JSON');
        }
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new AwsError('SerializationException', 'The request body must be a JSON object');
      }
      return { operation: target.slice(dot + 1), input };
    },
    encode(_operation: string, output: unknown, requestId: string): RawResponse {
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
        body: JSON.stringify(output ?? {}, epochSeconds),
      };
    },
    encodeError(error: AwsError, requestId: string): RawResponse {
      return jsonError(contentType, error, requestId);
    },
  };
}

/** JSON.stringify replacer: AWS JSON protocols send timestamps as epoch seconds. */
export function epochSeconds(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}

export function jsonError(contentType: string, error: AwsError, requestId: string): RawResponse {
  return {
    status: error.status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}
